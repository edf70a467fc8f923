package io.flotilla.node.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * A handler of the kubelet server's paths under one first segment (such as {@code stats} for {@code
 * /stats/summary}). Called on the event loop once the client is authenticated; it must answer the
 * request (blocking work goes to a thread of its own). Throwing an {@link IllegalArgumentException}
 * answers 400 with its message.
 */
@FunctionalInterface
public interface Route {
  /**
   * @param path the decoded path segments, the first being the route's own
   */
  void handle(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      List<String> path,
      QueryStringDecoder query)
      throws Exception;
}
