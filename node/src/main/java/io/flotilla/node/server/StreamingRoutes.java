package io.flotilla.node.server;

import io.flotilla.node.LocatedPod;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code /exec}, {@code /attach} and {@code /portForward}: checks the request, negotiates the
 * protocol (WebSocket subprotocol or SPDY/3.1 with {@code X-Stream-Protocol-Version}, the best the
 * client offers) and turns the connection over to the protocol's handler.
 *
 * <p>Threading: called on the event loop; sessions then run as {@link ExecBridge} says.
 */
final class StreamingRoutes {
  static final List<String> SPDY_EXEC_VERSIONS =
      List.of(
          "v5.channel.k8s.io",
          "v4.channel.k8s.io",
          "v3.channel.k8s.io",
          "v2.channel.k8s.io",
          "channel.k8s.io");
  static final List<String> WS_EXEC_VERSIONS = List.of(WebSocketChannels.V5, WebSocketChannels.V4);
  static final String PORT_FORWARD = "portforward.k8s.io";
  static final String WS_PORT_FORWARD = "SPDY/3.1+portforward.k8s.io";

  private final PodLocator pods;

  StreamingRoutes(PodLocator pods) {
    this.pods = pods;
  }

  /** {@code /exec/{ns}/{pod}/{container}} ({@code attach}: false) and {@code /attach/...}. */
  void execOrAttach(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      List<String> path,
      QueryStringDecoder q,
      boolean attach) {
    if (path.size() != 4) {
      throw new KubeletException(
          404, "use /" + path.getFirst() + "/{namespace}/{pod}/{container}, not " + q.path());
    }
    List<String> command = q.parameters().getOrDefault("command", List.of());
    if (!attach && command.isEmpty()) {
      throw new KubeletException(400, "give the command to run: ?command=sh&command=-c&command=…");
    }
    StreamOptions opts =
        new StreamOptions(
            LogOptions.bool(q, "stdin"),
            LogOptions.bool(q, "stdout"),
            LogOptions.bool(q, "stderr"),
            LogOptions.bool(q, "tty"));
    if (!opts.stdin() && !opts.stdout() && !opts.stderr()) {
      throw new KubeletException(400, "you must specify at least 1 of stdin, stdout, stderr");
    }
    LocatedPod pod = Targets.pod(pods, path.get(1), path.get(2));
    ContainerStatus c = Targets.running(pod, path.get(3));
    Supplier<StreamSession> opener =
        attach
            ? () -> pod.runtime().attach(c.id(), opts)
            : () -> pod.runtime().exec(c.id(), command, opts);
    List<String> cmd = attach ? null : List.copyOf(command);
    if (isWebSocket(req)) {
      String proto = pick(offered(req, "Sec-WebSocket-Protocol"), WS_EXEC_VERSIONS);
      if (proto == null) {
        throw new KubeletException(
            400,
            "no WebSocket subprotocol the kubelet speaks was offered; it speaks "
                + String.join(", ", WS_EXEC_VERSIONS));
      }
      WebSocketChannels handler =
          new WebSocketChannels(
              proto.equals(WebSocketChannels.V5), opts.stdout() ? 1 : opts.stderr() ? 2 : 3);
      handler.bridge(new ExecBridge(opener, cmd, handler));
      webSocket(
          ctx,
          req,
          proto,
          pipeline -> {
            pipeline.addLast(new WebSocketFrameAggregator(16 * 1024 * 1024));
            pipeline.addLast(handler);
          });
      startLater(ctx, handler);
      return;
    }
    String version = spdyVersion(req, SPDY_EXEC_VERSIONS);
    spdy(ctx, version, new SpdyExec(version, opts, wire -> new ExecBridge(opener, cmd, wire)));
  }

  private static void startLater(ChannelHandlerContext ctx, WebSocketChannels handler) {
    ctx.channel().eventLoop().execute(handler::startBridge);
  }

  /** {@code /portForward/{ns}/{pod}}. */
  void portForward(
      ChannelHandlerContext ctx, FullHttpRequest req, List<String> path, QueryStringDecoder q) {
    if (path.size() != 3) {
      throw new KubeletException(404, "use /portForward/{namespace}/{pod}, not " + q.path());
    }
    LocatedPod pod = Targets.pod(pods, path.get(1), path.get(2));
    if (pod.sandboxId() == null) {
      throw new KubeletException(
          400, "pod \"" + pod.name() + "\" has no sandbox yet; wait until it runs");
    }
    if (isWebSocket(req)) {
      if (pick(offered(req, "Sec-WebSocket-Protocol"), List.of(WS_PORT_FORWARD)) == null) {
        throw new KubeletException(
            400, "port-forward over WebSocket needs the subprotocol " + WS_PORT_FORWARD);
      }
      webSocket(
          ctx,
          req,
          WS_PORT_FORWARD,
          pipeline -> {
            pipeline.addLast(new WebSocketBytes());
            pipeline.addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
            pipeline.addLast(new SpdyPortForward(pod));
          });
      return;
    }
    String version = spdyVersion(req, List.of(PORT_FORWARD));
    spdy(ctx, version, new SpdyPortForward(pod));
  }

  private static void webSocket(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      String proto,
      java.util.function.Consumer<ChannelPipeline> then) {
    String url = "wss://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
    WebSocketServerHandshaker hs =
        new WebSocketServerHandshakerFactory(url, proto, false, 16 * 1024 * 1024)
            .newHandshaker(req);
    if (hs == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline p = ctx.pipeline();
    p.remove(ctx.handler());
    // Only the chosen subprotocol is offered to Netty, so it answers with exactly that one.
    req.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, proto);
    hs.handshake(ctx.channel(), req);
    then.accept(p);
  }

  private static void spdy(ChannelHandlerContext ctx, String version, SpdyConnection handler) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    r.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
    r.headers().set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
    r.headers().set("X-Stream-Protocol-Version", version);
    ChannelPipeline p = ctx.pipeline();
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(r)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ctx.close();
                return;
              }
              p.addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
              p.addLast(handler);
              p.remove(KubeletServer.AGGREGATOR);
              p.remove(KubeletServer.HTTP);
              p.remove(ctx.handler());
              ctx.channel().config().setAutoRead(true);
            });
  }

  private static String spdyVersion(FullHttpRequest req, List<String> supported) {
    String upgrade = req.headers().get(HttpHeaderNames.UPGRADE, "");
    if (!upgrade.toLowerCase(Locale.ROOT).contains("spdy/3.1")) {
      throw new KubeletException(
          400, "unable to upgrade: this path needs an upgrade to SPDY/3.1 or WebSocket");
    }
    List<String> offered = offered(req, "X-Stream-Protocol-Version");
    String v = pick(offered, supported);
    if (v == null) {
      throw new KubeletException(
          403,
          "unable to upgrade: unable to negotiate protocol: client supports "
              + offered
              + ", server accepts "
              + supported);
    }
    return v;
  }

  static boolean isWebSocket(FullHttpRequest req) {
    return req.headers().get(HttpHeaderNames.UPGRADE, "").equalsIgnoreCase("websocket");
  }

  /** Every value of a header that may repeat and hold comma-separated lists. */
  static List<String> offered(FullHttpRequest req, String header) {
    List<String> out = new ArrayList<>();
    for (String v : req.headers().getAll(header)) {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  /** The first of {@code supported} (best first) that the client offers; null when none. */
  static String pick(List<String> offered, List<String> supported) {
    for (String s : supported) {
      if (offered.contains(s)) {
        return s;
      }
    }
    return null;
  }
}
