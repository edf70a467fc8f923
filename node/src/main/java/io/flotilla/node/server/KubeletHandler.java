package io.flotilla.node.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates each request by its client certificate (401 Status without a valid one) and hands
 * it to the route its first path segment names (404 Status for none).
 *
 * <p>Threading: a Netty handler, one per connection, event loop only.
 */
final class KubeletHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletHandler.class);

  private final KubeletTls tls;
  private final Map<String, Route> routes;

  KubeletHandler(KubeletTls tls, Map<String, Route> routes) {
    this.tls = tls;
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!authenticated(ctx)) {
      Statuses.respond(ctx, 401, "Unauthorized", true);
      return;
    }
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    List<String> path = new ArrayList<>();
    for (String s : q.path().split("/")) {
      if (!s.isEmpty()) {
        path.add(QueryStringDecoder.decodeComponent(s));
      }
    }
    Route route = path.isEmpty() ? null : routes.get(path.getFirst());
    try {
      if (route == null) {
        throw new KubeletException(404, "the kubelet serves no " + q.path());
      }
      if (!req.method().equals(HttpMethod.GET)
          && !req.method().equals(HttpMethod.POST)
          && !req.method().equals(HttpMethod.HEAD)) {
        throw new KubeletException(405, req.method() + " is not served here; use GET or POST");
      }
      route.handle(ctx, req, path, q);
    } catch (KubeletException e) {
      Statuses.respond(ctx, e.code, e.getMessage(), false);
    } catch (IllegalArgumentException e) {
      Statuses.respond(ctx, 400, e.getMessage(), false);
    } catch (Exception e) {
      LOG.warn("kubelet request {} failed", q.path(), e);
      Statuses.respond(ctx, 500, e.toString(), false);
    }
  }

  private boolean authenticated(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return false;
    }
    try {
      return tls.verify(ssl.engine().getSession().getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("kubelet connection: {}", cause.toString());
    ctx.close();
  }

  static void text(ChannelHandlerContext ctx, int code, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(b));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
    ctx.writeAndFlush(r);
  }
}
