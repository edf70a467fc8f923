package io.flotilla.node.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.function.Supplier;

/**
 * kubelet's {@code GET /stats/summary}: the Summary API document (what metrics.k8s.io is built from
 * by the API server), as {@code summary} renders it at the time of the request. Threading: called
 * on the connection's event loop; {@code summary} must not block for long (it renders the latest
 * sample, it does not take one).
 */
public final class StatsRoute implements Route {
  private final Supplier<byte[]> summary;

  public StatsRoute(Supplier<byte[]> summary) {
    this.summary = summary;
  }

  @Override
  public void handle(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      List<String> path,
      QueryStringDecoder query) {
    if (path.size() != 2 || !path.get(1).equals("summary")) {
      KubeletHandler.text(ctx, 404, "404 page not found");
      return;
    }
    byte[] body = summary.get();
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    ctx.writeAndFlush(r);
  }
}
