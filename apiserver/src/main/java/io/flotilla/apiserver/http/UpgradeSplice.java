package io.flotilla.apiserver.http;

import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.kubelet.KubeletEndpoint;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Carries an upgrade request (exec, attach, port-forward over WebSocket or SPDY/3.1) to a kubelet
 * and then splices the two connections: the request goes out with its path rewritten, its headers
 * kept (but Authorization, and Host set to the kubelet), and from then on bytes flow unchanged both
 * ways — the kubelet's 101 and every frame after it. The client connection leaves HTTP: its codec,
 * aggregator and dispatcher are removed. Backpressure: a side stops reading while the other cannot
 * take more writes. Either side closing closes the other once its writes are flushed.
 *
 * <p>Threading: the kubelet connection runs on the client connection's event loop, so both splice
 * handlers run on one thread.
 */
final class UpgradeSplice extends ChannelInboundHandlerAdapter {
  private static final Set<String> DROPPED =
      Set.of("authorization", "host", "content-length", "transfer-encoding");
  private final Channel peer;

  private UpgradeSplice(Channel peer) {
    this.peer = peer;
  }

  /**
   * Connects to the kubelet, forwards {@code request} (released here) and splices. Must run on the
   * client channel's event loop.
   */
  static void start(
      ChannelHandlerContext ctx, FullHttpRequest request, Reply.Relay target, KubeletClient kc) {
    Channel client = ctx.channel();
    client.config().setAutoRead(false);
    KubeletEndpoint e = new KubeletEndpoint(target.node(), target.host(), target.port());
    ByteBuf head = head(request, target, e);
    ByteBuf body = request.content().retainedDuplicate();
    request.release();
    kc.connect(client.eventLoop(), e)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    head.release();
                    body.release();
                    client.config().setAutoRead(true);
                    HttpWrites.full(
                        client, Replies.status(LogRelay.unreachable(target, f.cause())), false);
                    return;
                  }
                  Channel kubelet = f.channel();
                  kubelet.write(head);
                  kubelet.writeAndFlush(body);
                  kubelet.pipeline().addLast(new UpgradeSplice(client));
                  ChannelPipeline p = client.pipeline();
                  // The splice first, so that bytes the codec still holds reach it on removal.
                  p.addLast(new UpgradeSplice(kubelet));
                  removeIfPresent(p, RequestDispatcher.class);
                  removeIfPresent(p, HttpObjectAggregator.class);
                  removeIfPresent(p, HttpServerCodec.class);
                  client.config().setAutoRead(true);
                  if (!client.isActive()) {
                    kubelet.close();
                  }
                });
  }

  private static void removeIfPresent(
      ChannelPipeline p, Class<? extends io.netty.channel.ChannelHandler> c) {
    if (p.get(c) != null) {
      p.remove(c);
    }
  }

  /** The request line and headers as the kubelet gets them. */
  private static ByteBuf head(FullHttpRequest request, Reply.Relay target, KubeletEndpoint e) {
    StringBuilder sb = new StringBuilder();
    sb.append(request.method().name())
        .append(' ')
        .append(target.pathAndQuery())
        .append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(e.authority()).append("\r\n");
    for (Map.Entry<String, String> h : request.headers()) {
      if (!DROPPED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
        sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
    }
    int length = request.content().readableBytes();
    if (length > 0 || request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      sb.append("Content-Length: ").append(length).append("\r\n");
    }
    sb.append("\r\n");
    return Unpooled.copiedBuffer(sb, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    peer.write(msg);
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
