package io.flotilla.node.runtime.cri.streaming;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A SPDY/3.1 client connection to a runtime's streaming server (containerd's copy of kubelet's
 * {@code cri/streaming} package), as kubectl opens one to kubelet: an HTTP/1.1 request upgraded
 * with {@code Upgrade: SPDY/3.1} and {@code X-Stream-Protocol-Version}, then client-initiated
 * streams named by their headers ({@code streamType: stdout}, …).
 *
 * <p>Only Netty's frame codec is used, not its session handler: the Go side (moby/spdystream) does
 * no SPDY flow control, and Netty's session handler would stall sending after the 64 KiB initial
 * window waiting for window updates that never come. Backpressure comes from pausing socket reads
 * instead (see {@link InboundPipe}).
 *
 * <p>Threading: frames are handled on the connection's event-loop thread; {@link #openStream} and
 * {@link #close} may be called from any thread.
 */
public final class SpdyConnection implements AutoCloseable {
  private static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";

  private final Channel channel;
  private final String protocol;
  private final Map<Integer, SpdyStream> streams;
  private final CompletableFuture<Void> closed;
  private int nextStreamId = 1;

  private SpdyConnection(
      Channel channel,
      String protocol,
      Map<Integer, SpdyStream> streams,
      CompletableFuture<Void> closed) {
    this.channel = channel;
    this.protocol = protocol;
    this.streams = streams;
    this.closed = closed;
  }

  /**
   * Connects to {@code url} (an {@code http://} URL the runtime returned from Exec, Attach or
   * PortForward) and upgrades to SPDY offering {@code protocols}, most preferred first.
   *
   * @throws UncheckedIOException when the server cannot be reached or refuses the upgrade
   */
  public static SpdyConnection open(
      EventLoopGroup group, URI url, List<String> protocols, Duration timeout) {
    if (!"http".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          "streaming URL "
              + url
              + " is not http://; only a plain-HTTP streaming server is supported");
    }
    Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    CompletableFuture<String> upgraded = new CompletableFuture<>();
    FrameHandler frames = new FrameHandler(streams, closed);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    HttpClientCodec http = new HttpClientCodec();
                    var codec = new UpgradeCodec(protocols, frames, upgraded);
                    ch.pipeline()
                        .addLast("http", http)
                        .addLast("upgrade", new HttpClientUpgradeHandler(http, codec, 64 * 1024))
                        .addLast("rejected", new RejectionHandler(url, upgraded));
                  }
                });
    int port = url.getPort() > 0 ? url.getPort() : 80;
    Channel channel = null;
    try {
      var connect = bootstrap.connect(url.getHost(), port);
      if (!connect.await(timeout.toMillis()) || !connect.isSuccess()) {
        connect.channel().close();
        throw new UncheckedIOException(
            new IOException(
                "cannot connect to the runtime's streaming server at "
                    + url
                    + ": "
                    + connect.cause(),
                connect.cause()));
      }
      channel = connect.channel();
      HttpRequest request =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, url.getRawPath());
      request.headers().set(HttpHeaderNames.HOST, url.getHost() + ":" + port);
      request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      channel.writeAndFlush(request);
      String protocol = upgraded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      channel.closeFuture().addListener(f -> frames.connectionEnded());
      return new SpdyConnection(channel, protocol, streams, closed);
    } catch (InterruptedException e) {
      closeQuietly(channel);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + url, e);
    } catch (ExecutionException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(new IOException(e.getCause().getMessage(), e.getCause()));
    } catch (TimeoutException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(
          new IOException(
              "the runtime's streaming server at " + url + " did not answer within " + timeout));
    }
  }

  private static void closeQuietly(Channel channel) {
    if (channel != null) {
      channel.close();
    }
  }

  /** The subprotocol the server chose from the offered ones. */
  public String protocol() {
    return protocol;
  }

  /** Opens a stream with these headers (names lower case, as SPDY/3 requires). */
  public SpdyStream openStream(Map<String, String> headers) {
    synchronized (this) {
      int id = nextStreamId;
      nextStreamId += 2;
      SpdyStream stream = new SpdyStream(id, channel);
      streams.put(id, stream);
      SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
      headers.forEach((k, v) -> syn.headers().set(k, v));
      // Written in id order: writes from one thread are queued to the event loop in order.
      channel.writeAndFlush(syn);
      if (!channel.isActive()) {
        stream.ended(new IOException("the runtime's streaming connection is closed"));
      }
      return stream;
    }
  }

  /** Completes when the connection has closed. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** Closes the connection; every stream's input ends. Idempotent. */
  @Override
  public void close() {
    channel.close();
  }

  /** Adds the SPDY codec once the server switched protocols; remembers the protocol it chose. */
  private record UpgradeCodec(
      List<String> protocols, FrameHandler frames, CompletableFuture<String> upgraded)
      implements HttpClientUpgradeHandler.UpgradeCodec {
    @Override
    public CharSequence protocol() {
      return "SPDY/3.1";
    }

    @Override
    public Collection<CharSequence> setUpgradeHeaders(
        ChannelHandlerContext ctx, HttpRequest upgradeRequest) {
      protocols.forEach(p -> upgradeRequest.headers().add(PROTOCOL_HEADER, p));
      return List.of();
    }

    @Override
    public void upgradeTo(ChannelHandlerContext ctx, FullHttpResponse response) {
      ctx.pipeline().addAfter(ctx.name(), "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
      ctx.pipeline().addAfter("spdy", "frames", frames);
      ctx.pipeline().remove("rejected");
      String chosen = response.headers().get(PROTOCOL_HEADER);
      upgraded.complete(chosen == null ? "" : chosen);
    }
  }

  /** Turns a refused upgrade (any response but 101) into an error naming status and body. */
  private static final class RejectionHandler
      extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final URI url;
    private final CompletableFuture<String> upgraded;

    RejectionHandler(URI url, CompletableFuture<String> upgraded) {
      this.url = url;
      this.upgraded = upgraded;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      String body = response.content().toString(StandardCharsets.UTF_8).trim();
      upgraded.completeExceptionally(
          new IOException(
              "the runtime's streaming server refused "
                  + url
                  + ": "
                  + response.status()
                  + (body.isEmpty() ? "" : " " + body)));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      upgraded.completeExceptionally(
          new IOException("the runtime's streaming server at " + url + " closed the connection"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      upgraded.completeExceptionally(cause);
      ctx.close();
    }
  }

  /** Dispatches SPDY frames to their streams, on the event loop. */
  private static final class FrameHandler extends SimpleChannelInboundHandler<SpdyFrame> {
    private final Map<Integer, SpdyStream> streams;
    private final CompletableFuture<Void> closed;

    FrameHandler(Map<Integer, SpdyStream> streams, CompletableFuture<Void> closed) {
      this.streams = streams;
      this.closed = closed;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
      switch (frame) {
        case SpdyDataFrame data -> {
          SpdyStream stream = streams.get(data.streamId());
          if (stream != null) {
            stream.received(ByteBufUtil.getBytes(data.content()), data.isLast());
          }
        }
        case SpdySynReplyFrame reply -> {
          SpdyStream stream = streams.get(reply.streamId());
          if (stream != null && reply.isLast()) {
            stream.ended(null);
          }
        }
        case SpdyRstStreamFrame rst -> {
          // The Go side resets its open streams (CANCEL) when it closes the connection, right
          // after writing the exit status: what arrived before the reset stays readable, and the
          // reader sees end-of-stream, as spdystream's own reader does.
          SpdyStream stream = streams.remove(rst.streamId());
          if (stream != null) {
            stream.ended(null);
          }
        }
        case SpdyPingFrame ping -> ctx.writeAndFlush(ping);
        case SpdySynStreamFrame syn ->
            ctx.writeAndFlush(
                new DefaultSpdyRstStreamFrame(syn.streamId(), SpdyStreamStatus.REFUSED_STREAM));
        default -> {
          // SETTINGS, WINDOW_UPDATE, HEADERS, GOAWAY: nothing to do for a client without flow
          // control; GOAWAY is followed by the server closing the connection.
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      IOException failure =
          cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
      streams.values().forEach(s -> s.ended(failure));
      ctx.close();
    }

    void connectionEnded() {
      streams.values().forEach(s -> s.ended(null));
      closed.complete(null);
    }
  }
}
