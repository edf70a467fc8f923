package io.flotilla.node.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node agent's kubelet API server: HTTPS with client certificates from the cluster CA, serving
 * kubelet's paths to the API server, which proxies {@code pods/log}, {@code pods/exec}, {@code
 * pods/attach} and {@code pods/portforward} here:
 *
 * <ul>
 *   <li>{@code GET /containerLogs/{ns}/{pod}/{container}} ({@link ContainerLogs})
 *   <li>{@code /exec/{ns}/{pod}/{container}} and {@code /attach/...} over WebSocket ({@code
 *       v5.channel.k8s.io}, {@code v4.channel.k8s.io}) or SPDY/3.1
 *   <li>{@code /portForward/{ns}/{pod}} over SPDY/3.1, plain or tunnelled in WebSocket
 *   <li>{@code /healthz}; more with {@link #route} (such as {@code /stats/summary})
 * </ul>
 *
 * <p>Threading: Netty event loops (one acceptor, {@code workers} I/O threads) run the requests;
 * logs and sessions run on daemon platform threads of their own. {@link #route} may be called at
 * any time; {@link #close} is idempotent.
 */
public final class KubeletServer implements AutoCloseable {
  static final String HTTP = "http";
  static final String AGGREGATOR = "aggregator";

  /**
   * Where and how to serve.
   *
   * @param host the address to bind (kubelet's {@code --address}, default 0.0.0.0)
   * @param port the port (kubelet's 10250; 0 picks a free one)
   * @param tls the serving certificate and the client CA
   * @param logPollInterval how often a followed log file is checked for new lines
   */
  public record Options(String host, int port, KubeletTls tls, Duration logPollInterval) {
    public Options(String host, int port, KubeletTls tls) {
      this(host, port, tls, Duration.ofMillis(100));
    }
  }

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final Map<String, Route> routes;
  private boolean closed;

  private KubeletServer(
      EventLoopGroup boss, EventLoopGroup workers, Channel channel, Map<String, Route> routes) {
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
    this.routes = routes;
  }

  /** Binds and starts serving; {@code pods} finds the pods requests name. */
  public static KubeletServer start(Options o, PodLocator pods, Clock clock) {
    SslContext ssl = o.tls().serverContext();
    Map<String, Route> routes = new ConcurrentHashMap<>();
    ContainerLogs logs = new ContainerLogs(pods, clock, o.logPollInterval());
    StreamingRoutes streaming = new StreamingRoutes(pods);
    routes.put("containerLogs", (ctx, req, path, q) -> logs.handle(ctx, path, q));
    routes.put("exec", (ctx, req, path, q) -> streaming.execOrAttach(ctx, req, path, q, false));
    routes.put("attach", (ctx, req, path, q) -> streaming.execOrAttach(ctx, req, path, q, true));
    routes.put("portForward", streaming::portForward);
    routes.put("healthz", (ctx, req, path, q) -> KubeletHandler.text(ctx, 200, "ok"));
    EventLoopGroup boss =
        new NioEventLoopGroup(1, new DefaultThreadFactory("flotilla-kubelet-accept", true));
    EventLoopGroup workers =
        new NioEventLoopGroup(2, new DefaultThreadFactory("flotilla-kubelet-io", true));
    try {
      Channel ch =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      c.pipeline().addLast("tls", ssl.newHandler(c.alloc()));
                      c.pipeline().addLast(HTTP, new HttpServerCodec());
                      c.pipeline().addLast(AGGREGATOR, new HttpObjectAggregator(1024 * 1024));
                      c.pipeline().addLast(new KubeletHandler(o.tls(), routes));
                    }
                  })
              .bind(new InetSocketAddress(o.host(), o.port()))
              .syncUninterruptibly()
              .channel();
      return new KubeletServer(boss, workers, ch, routes);
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cannot serve the kubelet API on "
              + o.host()
              + ":"
              + o.port()
              + " ("
              + e.getMessage()
              + "); pick another with --kubelet-port",
          e);
    }
  }

  /** Serves {@code /<firstSegment>/...} with {@code route} (replacing one of that name). */
  public void route(String firstSegment, Route route) {
    routes.put(firstSegment, route);
  }

  /** The port it listens on (the one picked when asked for 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
