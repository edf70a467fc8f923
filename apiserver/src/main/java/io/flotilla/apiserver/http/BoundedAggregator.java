package io.flotilla.apiserver.http;

import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.StatusException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Aggregates request bodies up to a limit; a larger body is answered with a 413 Status (not Netty's
 * empty 413). A keep-alive connection stays open while the aggregator discards the rest of the
 * body, so the client reads the 413 instead of a reset; other connections are closed.
 */
final class BoundedAggregator extends HttpObjectAggregator {
  static final int MAX_BODY = 3 * 1024 * 1024;

  BoundedAggregator() {
    super(MAX_BODY);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepAlive =
        !(oversized instanceof io.netty.handler.codec.http.FullHttpMessage)
            && io.netty.handler.codec.http.HttpUtil.isKeepAlive(oversized);
    HttpWrites.full(ctx.channel(), Replies.status(StatusException.tooLarge()), keepAlive);
  }
}
