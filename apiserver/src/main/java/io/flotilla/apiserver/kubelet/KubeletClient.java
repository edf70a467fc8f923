package io.flotilla.apiserver.kubelet;

import io.flotilla.apiserver.security.ClusterPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The apiserver's client for node kubelet APIs: TLS connections that present the apiserver's
 * kubelet client certificate ({@link ClusterPki#kubeletClient()}). The kubelet's serving
 * certificate is not verified — upstream's behaviour when kube-apiserver runs without {@code
 * --kubelet-certificate-authority} — since node agents serve self-signed certificates.
 *
 * <p>Threading: thread-safe. Streaming connections run on the event loop of the connection they
 * serve; whole-response fetches ({@link #get}) run on a small event loop group of this client's
 * own, closed by {@link #close()}.
 */
public final class KubeletClient implements AutoCloseable {
  /** A kubelet answer read whole. */
  public record Response(int code, byte[] body) {}

  private static final int MAX_RESPONSE = 64 * 1024 * 1024;
  private final SslContext ssl;
  private final List<String> addressTypes;
  private final Duration connectTimeout;
  private final EventLoopGroup fetches = new NioEventLoopGroup(1);

  private KubeletClient(SslContext ssl, List<String> addressTypes, Duration connectTimeout) {
    this.ssl = ssl;
    this.addressTypes = List.copyOf(addressTypes);
    this.connectTimeout = connectTimeout;
  }

  /** A client presenting {@code cert}, trying node addresses in upstream-like order. */
  public static KubeletClient create(ClusterPki.CertAndKey cert) {
    return create(cert, KubeletEndpoint.DEFAULT_ADDRESS_TYPES, Duration.ofSeconds(5));
  }

  public static KubeletClient create(
      ClusterPki.CertAndKey cert, List<String> addressTypes, Duration connectTimeout) {
    try {
      SslContext ssl =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .keyManager(cert.key(), new X509Certificate[] {cert.certificate()})
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              .build();
      return new KubeletClient(ssl, addressTypes, connectTimeout);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for kubelet calls: " + e.getMessage(), e);
    }
  }

  /** The node address types tried, in order. */
  public List<String> addressTypes() {
    return addressTypes;
  }

  /**
   * Opens a TLS connection to a kubelet on {@code loop} (pass the event loop of the connection it
   * will serve, so that relaying needs no hand-over between threads); {@code handlers} follow TLS.
   */
  public ChannelFuture connect(
      EventLoopGroup loop, KubeletEndpoint endpoint, ChannelHandler... handlers) {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(ssl.newHandler(ch.alloc(), endpoint.host(), endpoint.port()))
                    .addLast(handlers);
              }
            })
        .connect(endpoint.host(), endpoint.port());
  }

  /** GETs {@code path} from a kubelet and reads the whole answer, failing after {@code timeout}. */
  public CompletableFuture<Response> get(KubeletEndpoint endpoint, String path, Duration timeout) {
    CompletableFuture<Response> out = new CompletableFuture<>();
    ChannelFuture f =
        connect(
            fetches,
            endpoint,
            new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS),
            new HttpClientCodec(),
            new HttpObjectAggregator(MAX_RESPONSE),
            new SimpleChannelInboundHandler<FullHttpResponse>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                out.complete(new Response(r.status().code(), ByteBufUtil.getBytes(r.content())));
                ctx.close();
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                out.completeExceptionally(new IOException("the kubelet closed the connection"));
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                out.completeExceptionally(cause);
                ctx.close();
              }
            });
    f.addListener(
        c -> {
          if (!c.isSuccess()) {
            out.completeExceptionally(c.cause());
            return;
          }
          DefaultFullHttpRequest req =
              new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
          req.headers().set(HttpHeaderNames.HOST, endpoint.authority());
          req.headers().set(HttpHeaderNames.ACCEPT, "application/json");
          req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          f.channel().writeAndFlush(req);
        });
    // A slow TLS handshake or a kubelet that never answers ends here at the latest.
    fetches.schedule(
        () -> {
          if (out.completeExceptionally(new IOException("no answer within " + timeout))) {
            f.channel().close();
          }
        },
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    return out;
  }

  @Override
  public void close() {
    fetches.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
