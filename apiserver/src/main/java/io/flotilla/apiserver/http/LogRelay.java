package io.flotilla.apiserver.http;

import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.kubelet.KubeletEndpoint;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.StatusException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * Streams a kubelet's answer (pods/log) back to the client as it arrives: status and body pass
 * through, the body as HTTP/1.1 chunks or HTTP/2 DATA frames, flushed piece by piece so that {@code
 * kubectl logs -f} sees each line live. Backpressure: the kubelet connection reads its next piece
 * only when the previous one has been written to the client. The client going away closes the
 * kubelet connection.
 *
 * <p>Threading: everything runs on the client channel's event loop, which the kubelet connection
 * shares.
 */
final class LogRelay extends ChannelInboundHandlerAdapter {
  private final Channel client;
  private final boolean http1;
  private final boolean keepAlive;
  private final Reply.Relay target;
  private final GenericFutureListener<io.netty.util.concurrent.Future<Void>> clientClosed;
  private Channel kubelet;
  private boolean headersSent;
  private boolean done;

  private LogRelay(Channel client, boolean http1, boolean keepAlive, Reply.Relay target) {
    this.client = client;
    this.http1 = http1;
    this.keepAlive = keepAlive;
    this.target = target;
    this.clientClosed = f -> closeKubelet();
  }

  /** Connects to the kubelet and relays {@code target}'s answer to {@code client}. */
  static void start(
      Channel client, boolean http1, boolean keepAlive, Reply.Relay target, KubeletClient kc) {
    LogRelay relay = new LogRelay(client, http1, keepAlive, target);
    KubeletEndpoint e = new KubeletEndpoint(target.node(), target.host(), target.port());
    kc.connect(client.eventLoop(), e, new HttpClientCodec(), relay)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    relay.fail(unreachable(target, f.cause()));
                    return;
                  }
                  relay.kubelet = f.channel();
                  f.channel().config().setAutoRead(false);
                  client.closeFuture().addListener(relay.clientClosed);
                  DefaultFullHttpRequest req =
                      new DefaultFullHttpRequest(
                          HttpVersion.HTTP_1_1, HttpMethod.GET, target.pathAndQuery());
                  req.headers().set(HttpHeaderNames.HOST, e.authority());
                  req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                  f.channel().writeAndFlush(req);
                  f.channel().read();
                });
  }

  static StatusException unreachable(Reply.Relay t, Throwable cause) {
    return new StatusException(
        502,
        "BadGateway",
        "Get \"https://"
            + new KubeletEndpoint(t.node(), t.host(), t.port()).authority()
            + t.pathAndQuery()
            + "\": cannot reach the kubelet of node \""
            + t.node()
            + "\": "
            + (cause == null ? "connection closed" : cause.getMessage()),
        null);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse r) {
      DefaultHttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status());
      String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
      out.headers().set(HttpHeaderNames.CONTENT_TYPE, type == null ? "text/plain" : type);
      out.headers().set("Cache-Control", "no-cache, private");
      if (http1) {
        out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        if (!keepAlive) {
          out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
      }
      headersSent = true;
      client.writeAndFlush(out).addListener(this::next);
    }
    if (msg instanceof HttpContent c) {
      if (c instanceof LastHttpContent) {
        finish(new DefaultLastHttpContent(c.content().retain()));
      } else if (c.content().isReadable()) {
        client.writeAndFlush(new DefaultHttpContent(c.content().retain())).addListener(this::next);
      } else {
        ctx.channel().read();
      }
    }
    ReferenceCountUtil.release(msg);
  }

  private void next(io.netty.util.concurrent.Future<? super Void> f) {
    if (f.isSuccess()) {
      kubelet.read();
    } else {
      closeKubelet();
    }
  }

  private void finish(LastHttpContent last) {
    done = true;
    client.closeFuture().removeListener(clientClosed);
    var f = client.writeAndFlush(last);
    if (http1 && !keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    closeKubelet();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (done) {
      return;
    }
    if (!headersSent) {
      fail(unreachable(target, null));
    } else {
      // The kubelet went away mid-stream: end the response; the client sees the log stop.
      finish(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!done && !headersSent) {
      fail(unreachable(target, cause));
    }
    ctx.close();
  }

  private void fail(StatusException e) {
    done = true;
    client.closeFuture().removeListener(clientClosed);
    closeKubelet();
    HttpWrites.full(client, Replies.status(e), keepAlive);
  }

  private void closeKubelet() {
    if (kubelet != null) {
      kubelet.close();
    }
  }
}
