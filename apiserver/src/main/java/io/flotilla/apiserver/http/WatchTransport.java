package io.flotilla.apiserver.http;

import io.flotilla.apiserver.rest.Reply;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.Base64;

/**
 * Carries a watch to the client: as a chunked HTTP response with one JSON event per line (HTTP/2:
 * DATA frames), or, when the request asked to upgrade, as WebSocket messages with one event each
 * (the fabric8 client's default). Writes may come from any thread.
 */
abstract class WatchTransport implements Reply.StreamOutput {
  protected final Channel ch;
  protected final Reply.WatchStream stream;

  WatchTransport(Channel ch, Reply.WatchStream stream) {
    this.ch = ch;
    this.stream = stream;
  }

  /**
   * How many unsent bytes a watch may queue before the client is deemed too slow and the watch is
   * ended (the client then resumes from its last resourceVersion), so that one stalled reader
   * cannot exhaust the heap.
   */
  static final long MAX_PENDING_BYTES = 16L * 1024 * 1024;

  abstract void start();

  /** Ends the watch when the client does not keep up; true when it did. */
  protected boolean tooSlow() {
    if (ch.bytesBeforeWritable() <= MAX_PENDING_BYTES) {
      return false;
    }
    stream.cancel();
    ch.close();
    return true;
  }

  void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
    frame.release();
  }

  static WatchTransport chunked(ChannelHandlerContext ctx, Reply.WatchStream s, boolean http1) {
    return new Chunked(ctx.channel(), s, http1);
  }

  static WatchTransport webSocket(
      ChannelHandlerContext ctx, FullHttpRequest req, Reply.WatchStream s) {
    return new WebSocket(ctx.channel(), s, req.retainedDuplicate());
  }

  private static final class Chunked extends WatchTransport {
    private static final byte[] NEWLINE = {'\n'};
    private final boolean http1;

    Chunked(Channel ch, Reply.WatchStream stream, boolean http1) {
      super(ch, stream);
      this.http1 = http1;
    }

    @Override
    void start() {
      HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      resp.headers().set("Cache-Control", "no-cache, private");
      if (http1) {
        resp.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        // The connection closes when the watch ends: clients must not pool it.
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ch.writeAndFlush(resp);
      stream.start(this);
    }

    @Override
    public void event(byte[] json) {
      if (tooSlow()) {
        return;
      }
      // The event's bytes may be shared with other watches: wrapped, never copied or changed.
      ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(json, NEWLINE)));
    }

    @Override
    public void end() {
      var f = ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (http1) {
        // The watch is over; a fresh connection is cheaper than tracking its reuse.
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private static final class WebSocket extends WatchTransport {
    private final FullHttpRequest req;
    private WebSocketServerHandshaker handshaker;
    private volatile String protocol;

    WebSocket(Channel ch, Reply.WatchStream stream, FullHttpRequest req) {
      super(ch, stream);
      this.req = req;
    }

    @Override
    void start() {
      try {
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        handshaker =
            new WebSocketServerHandshakerFactory(
                    url, "base64.binary.k8s.io,binary.k8s.io", false, 1 << 20)
                .newHandshaker(req);
        if (handshaker == null) {
          WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
          return;
        }
        handshaker
            .handshake(ch, req)
            .addListener(
                f -> {
                  if (f.isSuccess()) {
                    protocol = handshaker.selectedSubprotocol();
                    stream.start(this);
                  } else {
                    ch.close();
                  }
                });
      } finally {
        req.release();
      }
    }

    @Override
    public void event(byte[] json) {
      if (tooSlow()) {
        return;
      }
      String p = protocol;
      WebSocketFrame frame;
      if ("base64.binary.k8s.io".equals(p)) {
        frame = new TextWebSocketFrame(Base64.getEncoder().encodeToString(json));
      } else if ("binary.k8s.io".equals(p)) {
        frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(json));
      } else {
        frame = new TextWebSocketFrame(Unpooled.wrappedBuffer(json));
      }
      ch.writeAndFlush(frame);
    }

    @Override
    public void end() {
      ch.writeAndFlush(new CloseWebSocketFrame(1000, "watch closed"))
          .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame close) {
        stream.cancel();
        handshaker.close(ch, close.retain());
      } else if (frame instanceof PingWebSocketFrame ping) {
        ch.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      }
      frame.release();
    }
  }
}
