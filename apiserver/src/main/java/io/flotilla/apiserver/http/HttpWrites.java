package io.flotilla.apiserver.http;

import io.flotilla.apiserver.rest.Reply;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** Writes whole responses; safe to call from any thread (Netty queues the write). */
final class HttpWrites {
  private HttpWrites() {}

  static void full(Channel ch, Reply.Full reply, boolean keepAlive) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(reply.code()),
            Unpooled.wrappedBuffer(reply.body()));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    resp.headers().set("Cache-Control", "no-cache, private");
    resp.headers().set("X-Content-Type-Options", "nosniff");
    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
      resp.headers().set(h.getKey(), h.getValue());
    }
    if (!keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ch.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    } else {
      ch.writeAndFlush(resp);
    }
  }
}
