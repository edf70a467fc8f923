package io.flotilla.apiserver.http;

import io.flotilla.apiserver.Authenticator;
import io.flotilla.apiserver.discovery.DiscoveryHandler;
import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.ResourceRouter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every connection of one server shares: routing, authentication, the in-flight bound and the
 * open watches (cancelled on close), and the client for node kubelets (null without one).
 * Thread-safe.
 */
public record ServerState(
    ResourceRouter router,
    DiscoveryHandler discovery,
    Authenticator authenticator,
    boolean tls,
    int maxInFlight,
    AtomicInteger inFlight,
    ApiMetrics metrics,
    Map<String, NonResourceHandler> nonResource,
    Set<Reply.WatchStream> openWatches,
    KubeletClient kubelet) {

  public ServerState(
      ResourceRouter router,
      DiscoveryHandler discovery,
      Authenticator authenticator,
      boolean tls,
      int maxInFlight,
      ApiMetrics metrics,
      Map<String, NonResourceHandler> nonResource,
      KubeletClient kubelet) {
    this(
        router,
        discovery,
        authenticator,
        tls,
        maxInFlight,
        new AtomicInteger(),
        metrics,
        Map.copyOf(nonResource),
        ConcurrentHashMap.newKeySet(),
        kubelet);
  }
}
