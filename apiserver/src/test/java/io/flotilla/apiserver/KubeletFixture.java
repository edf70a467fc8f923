package io.flotilla.apiserver;

import io.flotilla.apiserver.security.ClusterPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Plays a node's kubelet across the network for apiserver tests: HTTPS with a certificate of its
 * own (from another CA, as an agent's self-signed one), requiring client certificates signed by the
 * cluster CA, answering the upstream kubelet paths the apiserver calls. {@code /containerLogs}
 * answers the lines {@link #log} holds and, with {@code follow=true}, keeps the stream open for
 * {@link #emit} until {@link #endLogs}; a container named "missing" gets a 404. Upgrade requests to
 * {@code /exec}, {@code /attach} and {@code /portForward} get a 101 and then every byte echoed,
 * except a WebSocket handshake for {@code /exec}, which runs a one-shot exec in the v5/v4 channel
 * protocol (as kubectl exec speaks it). {@code /stats/summary} answers {@link #summary}. Every
 * request's URI, headers and client certificate subject are recorded.
 */
final class KubeletFixture implements AutoCloseable {
  /** One request as the kubelet saw it. */
  record Seen(String method, String uri, Map<String, String> headers, String clientSubject) {}

  final List<Seen> requests = new CopyOnWriteArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>(List.of("line 1"));
  volatile Supplier<String> summary = () -> "{}";
  private final Map<Channel, Boolean> following = new ConcurrentHashMap<>();
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;

  KubeletFixture(ClusterPki clusterPki, Path otherDir) throws Exception {
    ClusterPki own = ClusterPki.loadOrCreate(otherDir, List.of(), Clock.systemUTC());
    SslContext ssl =
        SslContextBuilder.forServer(
                own.server().key(), new X509Certificate[] {own.server().certificate()})
            .sslProvider(SslProvider.JDK)
            .trustManager(clusterPki.ca().certificate())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    ch.pipeline().addLast(new HttpServerCodec());
                    ch.pipeline().addLast(new HttpObjectAggregator(1 << 20));
                    ch.pipeline().addLast(new Handler());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Sends a line to every following log stream. */
  void emit(String line) {
    following
        .keySet()
        .forEach(
            ch ->
                ch.writeAndFlush(
                    new DefaultHttpContent(
                        Unpooled.copiedBuffer(line + "\n", StandardCharsets.UTF_8))));
  }

  /** Ends every following log stream. */
  void endLogs() {
    following.keySet().forEach(ch -> ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    following.clear();
  }

  int followers() {
    return following.size();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (!(msg instanceof FullHttpRequest req)) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        serve(ctx, req);
      } finally {
        req.release();
      }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
      SslHandler tls = ctx.pipeline().get(SslHandler.class);
      String subject =
          ((X509Certificate) tls.engine().getSession().getPeerCertificates()[0])
              .getSubjectX500Principal()
              .getName();
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      req.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      requests.add(new Seen(req.method().name(), req.uri(), headers, subject));
      String uri = req.uri();
      if (uri.startsWith("/containerLogs/")) {
        logs(ctx, uri);
      } else if (uri.startsWith("/stats/summary")) {
        byte[] body = summary.get().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ctx.writeAndFlush(r);
      } else if (req.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
          && uri.startsWith("/exec/")) {
        webSocketExec(ctx, req);
      } else if (req.headers().contains(HttpHeaderNames.UPGRADE)) {
        upgrade(ctx, req);
      } else {
        FullHttpResponse r =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(r);
      }
    }

    private void logs(ChannelHandlerContext ctx, String uri) {
      if (uri.contains("/missing")) {
        byte[] body = "container not found (\"missing\")".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ctx.writeAndFlush(r);
        return;
      }
      DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
      r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ctx.write(r);
      StringBuilder sb = new StringBuilder();
      log.forEach(l -> sb.append(l).append('\n'));
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8)));
      if (uri.contains("follow=true")) {
        following.put(ctx.channel(), true);
        ctx.channel().closeFuture().addListener(f -> following.remove(ctx.channel()));
      } else {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      }
    }

    /**
     * A real WebSocket exec as kubectl speaks it (v5/v4 channel protocol): writes "exec ran" on
     * stdout (channel 1), then a Success status on the error channel (3), then closes.
     */
    private void webSocketExec(ChannelHandlerContext ctx, FullHttpRequest req) {
      WebSocketServerHandshaker hs =
          new WebSocketServerHandshakerFactory(
                  "ws://kubelet" + req.uri(), "v5.channel.k8s.io,v4.channel.k8s.io", false)
              .newHandshaker(req);
      Channel ch = ctx.channel();
      hs.handshake(ch, req)
          .addListener(
              f -> {
                ch.write(new BinaryWebSocketFrame(frame(1, "exec ran\n")));
                ch.write(
                    new BinaryWebSocketFrame(frame(3, "{\"metadata\":{},\"status\":\"Success\"}")));
                ch.writeAndFlush(new CloseWebSocketFrame(1000, ""))
                    .addListener(ChannelFutureListener.CLOSE);
              });
    }

    private static ByteBuf frame(int channel, String text) {
      ByteBuf b = Unpooled.buffer();
      b.writeByte(channel);
      b.writeCharSequence(text, StandardCharsets.UTF_8);
      return b;
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
      String protocol = req.headers().get(HttpHeaderNames.UPGRADE);
      ByteBuf head =
          Unpooled.copiedBuffer(
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: "
                  + protocol
                  + "\r\nConnection: Upgrade\r\n\r\n",
              StandardCharsets.ISO_8859_1);
      // Leave HTTP: from here on the connection echoes bytes.
      ctx.pipeline().remove(HttpObjectAggregator.class);
      ctx.pipeline().remove(HttpServerCodec.class);
      ctx.pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object m) {
                  c.writeAndFlush(m);
                }
              });
      ctx.pipeline().remove(this);
      ctx.channel().writeAndFlush(head);
    }
  }
}
