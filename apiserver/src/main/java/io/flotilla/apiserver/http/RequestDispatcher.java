package io.flotilla.apiserver.http;

import io.flotilla.apiserver.UserInfo;
import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.ResourceRouter;
import io.flotilla.apiserver.rest.StatusException;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each aggregated HTTP request (HTTP/1.1, or one HTTP/2 stream) into an API call: it
 * authenticates, bounds the non-watch requests in flight, routes, and writes the reply on the
 * channel when the handler's future completes. Runs on the channel's event loop and never blocks
 * it; replies completing on store threads are written through the thread-safe channel API.
 */
public final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
  private final ServerState state;
  private final boolean http2;
  private WatchTransport activeWatch;

  public RequestDispatcher(ServerState state, boolean http2) {
    this.state = state;
    this.http2 = http2;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof WebSocketFrame frame) {
      if (activeWatch != null) {
        activeWatch.onFrame(ctx, frame);
      } else {
        frame.release();
      }
      return;
    }
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      dispatch(ctx, req);
    } finally {
      req.release();
    }
  }

  private void dispatch(ChannelHandlerContext ctx, FullHttpRequest http) {
    long start = System.nanoTime();
    boolean keepAlive = HttpUtil.isKeepAlive(http);
    QueryStringDecoder uri = new QueryStringDecoder(http.uri(), StandardCharsets.UTF_8);
    ApiRequest req;
    try {
      req =
          ApiRequest.of(
              http.method().name(),
              uri.path(),
              Map.copyOf(uri.parameters()),
              http.headers(),
              ByteBufUtil.getBytes(http.content()),
              authenticate(ctx, http));
    } catch (StatusException e) {
      write(ctx, Replies.status(e), keepAlive, "", "", start);
      return;
    }
    String verb = req.info() == null ? http.method().name().toLowerCase() : req.info().verb();
    String resource = req.info() == null ? "" : req.info().resource();
    boolean watch = ResourceRouter.isWatch(req);
    boolean longRunning = watch || ResourceRouter.isPodStream(req);
    if (!longRunning && state.inFlight().incrementAndGet() > state.maxInFlight()) {
      state.inFlight().decrementAndGet();
      Reply.Full busy = Replies.status(StatusException.tooManyRequests());
      write(ctx, withHeader(busy, "Retry-After", "1"), keepAlive, verb, resource, start);
      return;
    }
    if (longRunning) {
      // Released after dispatch: keep what the WebSocket handshake or the relay reads.
      http.retain();
    }
    CompletableFuture<Reply> reply;
    try {
      reply = route(req);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (r, err) -> {
          if (!longRunning) {
            state.inFlight().decrementAndGet();
          }
          Reply out = err == null ? r : Replies.status(toStatus(err));
          try {
            if (out instanceof Reply.Stream s) {
              startWatch(ctx, http, s, resource);
            } else if (out instanceof Reply.Relay relay) {
              relay(ctx, http, relay, keepAlive, verb, resource, start);
            } else {
              write(ctx, (Reply.Full) out, keepAlive, verb, resource, start);
            }
          } finally {
            if (longRunning) {
              http.release();
            }
          }
        });
  }

  /** Hands a kubelet relay to its transport, on the channel's event loop. */
  private void relay(
      ChannelHandlerContext ctx,
      FullHttpRequest http,
      Reply.Relay relay,
      boolean keepAlive,
      String verb,
      String resource,
      long start) {
    if (relay.upgrade() && http2) {
      // HTTP/2 has no Upgrade: upstream answers the same.
      write(
          ctx,
          Replies.status(StatusException.badRequest("Upgrade request required")),
          keepAlive,
          verb,
          resource,
          start);
      return;
    }
    state
        .metrics()
        .request(
            verb.toUpperCase(), resource, relay.upgrade() ? 101 : 200, System.nanoTime() - start);
    FullHttpRequest kept = relay.upgrade() ? http.retainedDuplicate() : null;
    ctx.executor()
        .execute(
            () -> {
              if (relay.upgrade()) {
                UpgradeSplice.start(ctx, kept, relay, state.kubelet());
              } else {
                LogRelay.start(ctx.channel(), !http2, keepAlive, relay, state.kubelet());
              }
            });
  }

  private CompletableFuture<Reply> route(ApiRequest req) {
    String path = req.path();
    if (req.info() != null) {
      return state.router().route(req);
    }
    Reply.Full fixed = NonResourceRoutes.serve(req, state);
    if (fixed != null) {
      return CompletableFuture.completedFuture(fixed);
    }
    for (Map.Entry<String, NonResourceHandler> e : state.nonResource().entrySet()) {
      if (path.equals(e.getKey()) || path.startsWith(e.getKey() + "/")) {
        return e.getValue().handle(req).thenApply(f -> f);
      }
    }
    Reply.Full discovery = state.discovery().handle(path, req.headers().get("Accept"));
    if (discovery != null) {
      return CompletableFuture.completedFuture(discovery);
    }
    throw StatusException.notFoundPath();
  }

  private UserInfo authenticate(ChannelHandlerContext ctx, FullHttpRequest http) {
    if (state.authenticator() == null) {
      return UserInfo.ANONYMOUS;
    }
    UserInfo user = state.authenticator().authenticate(peerChain(ctx), http.headers());
    if (user == null) {
      if (state.tls()) {
        throw StatusException.unauthorized();
      }
      return UserInfo.ANONYMOUS;
    }
    return user;
  }

  private static X509Certificate[] peerChain(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null && ctx.channel().parent() != null) {
      ssl = ctx.channel().parent().pipeline().get(SslHandler.class);
    }
    if (ssl == null) {
      return new X509Certificate[0];
    }
    try {
      Certificate[] certs = ssl.engine().getSession().getPeerCertificates();
      return Arrays.stream(certs)
          .filter(X509Certificate.class::isInstance)
          .map(X509Certificate.class::cast)
          .toArray(X509Certificate[]::new);
    } catch (SSLPeerUnverifiedException e) {
      return new X509Certificate[0];
    }
  }

  static StatusException toStatus(Throwable err) {
    Throwable cause = err;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof StatusException s) {
      return s;
    }
    if (cause instanceof io.flotilla.store.InvalidRequestException) {
      return new StatusException(
          413, "RequestEntityTooLarge", "request entity too large: " + cause.getMessage(), null);
    }
    if (cause instanceof io.flotilla.store.StoreUnavailableException) {
      return new StatusException(
          503, "ServiceUnavailable", "the store is unavailable: " + cause.getMessage(), null);
    }
    LOG.warn("request failed", cause);
    return StatusException.internal(cause);
  }

  private static Reply.Full withHeader(Reply.Full r, String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(r.headers());
    h.put(name, value);
    return new Reply.Full(r.code(), r.body(), r.contentType(), h);
  }

  private void write(
      ChannelHandlerContext ctx,
      Reply.Full reply,
      boolean keepAlive,
      String verb,
      String resource,
      long start) {
    state.metrics().request(verb.toUpperCase(), resource, reply.code(), System.nanoTime() - start);
    HttpWrites.full(ctx.channel(), reply, keepAlive);
  }

  private void startWatch(
      ChannelHandlerContext ctx, FullHttpRequest http, Reply.Stream stream, String resource) {
    boolean websocket =
        !http2 && "websocket".equalsIgnoreCase(http.headers().get(HttpHeaderNames.UPGRADE));
    WatchTransport t =
        websocket
            ? WatchTransport.webSocket(ctx, http, stream.stream())
            : WatchTransport.chunked(ctx, stream.stream(), !http2);
    activeWatch = t;
    state.openWatches().add(stream.stream());
    state.metrics().watchOpened(resource);
    ctx.channel()
        .closeFuture()
        .addListener(
            f -> {
              stream.stream().cancel();
              state.openWatches().remove(stream.stream());
              state.metrics().watchClosed(resource);
            });
    t.start();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error, closing", cause);
    ctx.close();
  }
}
