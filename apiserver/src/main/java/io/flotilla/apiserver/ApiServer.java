package io.flotilla.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.api.openapi.UnknownFields;
import io.flotilla.apiserver.crd.CrdServing;
import io.flotilla.apiserver.discovery.DiscoveryHandler;
import io.flotilla.apiserver.http.ApiMetrics;
import io.flotilla.apiserver.http.NonResourceHandler;
import io.flotilla.apiserver.http.ServerInitializer;
import io.flotilla.apiserver.http.ServerState;
import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.registry.ListWatchSource;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.registry.StoreListWatchSource;
import io.flotilla.apiserver.registry.TimedStore;
import io.flotilla.apiserver.resourcemetrics.ResourceMetricsHandler;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.ResourceRouter;
import io.flotilla.apiserver.rest.RestContext;
import io.flotilla.apiserver.services.PortRange;
import io.flotilla.apiserver.services.ServiceCidr;
import io.flotilla.apiserver.services.ServiceNetworking;
import io.flotilla.apiserver.storage.LocalPathStorageClass;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The Kubernetes REST API over Netty. {@link #start()} creates the system namespaces if missing and
 * binds; {@link #close()} ends open watches and drains the event loops.
 *
 * <p>Threading: requests are handled on Netty event loops, which never block: handlers compose on
 * the Store's futures and responses are written when those complete. Watch events arrive on store
 * threads and are written through the channel. The server does not own the Store.
 */
public final class ApiServer implements AutoCloseable {
  private static final List<String> SYSTEM_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final Builder b;
  private final ApiMetrics metrics = new ApiMetrics();
  private final ScheduledExecutorService timers;
  private final RestContext rest;
  private final ServerState state;
  private final CrdServing crds;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final ServiceNetworking services;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel server;

  private ApiServer(Builder b) {
    this.b = b;
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "apiserver-timers");
              t.setDaemon(true);
              return t;
            });
    Store timed = new TimedStore(b.store, metrics::store);
    this.services = new ServiceNetworking(timed, b.registry, b.clock, b.serviceOptions());
    ListWatchSource source =
        b.source == null ? new StoreListWatchSource(timed) : b.source.apply(timed);
    this.rest =
        new RestContext(
            timed,
            b.registry,
            source,
            b.clock,
            timers,
            b.bookmarkInterval.toMillis(),
            new UnknownFields(),
            services.allocator());
    this.crds = new CrdServing(timed, b.registry, b.clock);
    ResourceMetricsHandler kubelets =
        b.kubelet == null ? null : new ResourceMetricsHandler(b.kubelet, rest);
    this.state =
        new ServerState(
            new ResourceRouter(rest, kubelets),
            new DiscoveryHandler(
                b.registry,
                kubelets == null
                    ? List.of()
                    : List.of(ResourceMetricsHandler.NODES, ResourceMetricsHandler.PODS)),
            b.authenticator,
            b.ssl != null,
            b.maxInFlight,
            metrics,
            b.nonResource,
            b.kubelet);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the system namespaces and the default StorageClass ({@link LocalPathStorageClass}) when
   * absent, serves the stored CustomResourceDefinitions, binds, repairs the Service allocations and
   * ensures the kubernetes Service. Blocks until done.
   */
  public ApiServer start() throws InterruptedException {
    createSystemNamespaces();
    LocalPathStorageClass.ensure(rest.store(), b.registry, b.clock.instant());
    crds.start();
    boss = new NioEventLoopGroup(1);
    workers = new NioEventLoopGroup(b.workerThreads);
    server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ServerInitializer(b.ssl, state))
            .bind(new InetSocketAddress(b.host, b.port))
            .sync()
            .channel();
    services.start(ServiceNetworking.endpointAddress(b.host), port(), timers);
    return this;
  }

  private void createSystemNamespaces() {
    ResourceType ns = rest.namespaceType();
    for (String name : SYSTEM_NAMESPACES) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("apiVersion", "v1").put("kind", "Namespace");
      ObjectNode meta = o.putObject("metadata");
      meta.put("name", name);
      meta.put("uid", UUID.randomUUID().toString());
      meta.put(
          "creationTimestamp",
          io.flotilla.apiserver.rest.ObjectMetaRules.timestamp(b.clock.instant()));
      meta.putObject("labels").put("kubernetes.io/metadata.name", name);
      o.putObject("spec").putArray("finalizers").add("kubernetes");
      o.putObject("status").put("phase", "Active");
      rest.store().txn(Txn.create(ObjectCodec.key(ns, "", name), ObjectCodec.encode(o))).join();
    }
  }

  /**
   * A server TLS context as the apiserver needs it: ALPN offering h2 then http/1.1, HTTP/2-safe
   * ciphers, and client certificates requested (not required) and verified against {@code
   * clientCas} when given.
   */
  public static SslContext tlsContext(
      PrivateKey key, X509Certificate[] chain, X509Certificate... clientCas) throws SSLException {
    SslContextBuilder b =
        SslContextBuilder.forServer(key, chain)
            .sslProvider(SslProvider.JDK)
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2,
                    ApplicationProtocolNames.HTTP_1_1));
    if (clientCas.length > 0) {
      b.trustManager(clientCas).clientAuth(ClientAuth.OPTIONAL);
    }
    return b.build();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The Service allocations: the allocator and its repair pass. */
  public ServiceNetworking services() {
    return services;
  }

  public ApiMetrics metrics() {
    return metrics;
  }

  /** Stops accepting, ends open watches, and shuts the event loops down gracefully. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    crds.close();
    state.openWatches().forEach(Reply.WatchStream::stop);
    rest.source().close();
    if (workers != null) {
      workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
    timers.shutdownNow();
    if (b.kubelet != null) {
      b.kubelet.close();
    }
  }

  /** Configures an {@link ApiServer}. Store and registry are required. */
  public static final class Builder {
    private Store store;
    private KindRegistry registry;
    private String host = "127.0.0.1";
    private int port = 0;
    private SslContext ssl;
    private Authenticator authenticator;
    private Clock clock = Clock.systemUTC();
    private int maxInFlight = 400;
    private int workerThreads = 0;
    private Duration bookmarkInterval = Duration.ofMinutes(1);
    private Function<Store, ListWatchSource> source;
    private final Map<String, NonResourceHandler> nonResource = new LinkedHashMap<>();
    private ServiceNetworking.Options services = ServiceNetworking.Options.defaults();
    private KubeletClient kubelet;

    /**
     * The client for node kubelets (pods/log, exec, attach, portforward, metrics.k8s.io), which the
     * server closes when it closes. Without one those calls answer 503 and metrics.k8s.io is not in
     * discovery.
     */
    public Builder kubeletClient(KubeletClient k) {
      this.kubelet = k;
      return this;
    }

    public Builder store(Store s) {
      this.store = s;
      return this;
    }

    public Builder registry(KindRegistry r) {
      this.registry = r;
      return this;
    }

    public Builder host(String h) {
      this.host = h;
      return this;
    }

    /** The port to bind; 0 picks a free one (see {@link ApiServer#port()}). */
    public Builder port(int p) {
      this.port = p;
      return this;
    }

    /** TLS for every connection, with ALPN offering h2 and http/1.1. */
    public Builder sslContext(SslContext s) {
      this.ssl = s;
      return this;
    }

    public Builder authenticator(Authenticator a) {
      this.authenticator = a;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** Non-watch requests in flight beyond which the server answers 429. */
    public Builder maxInFlight(int n) {
      this.maxInFlight = n;
      return this;
    }

    /** Event loop threads; 0 for Netty's default (twice the cores). */
    public Builder workerThreads(int n) {
      this.workerThreads = n;
      return this;
    }

    /** How often a watch that allows bookmarks gets one. */
    public Builder bookmarkInterval(Duration d) {
      this.bookmarkInterval = d;
      return this;
    }

    /** Where lists and watches are served from (the watch cache); the Store itself by default. */
    public Builder listWatchSource(Function<Store, ListWatchSource> s) {
      this.source = s;
      return this;
    }

    /** Serves a non-resource path prefix, such as "/openapi/v3". */
    public Builder nonResource(String pathPrefix, NonResourceHandler h) {
      nonResource.put(pathPrefix, h);
      return this;
    }

    /** The range Service cluster IPs come from, as "10.96.0.0/12" (the default). */
    public Builder serviceCidr(String cidr) {
      services =
          new ServiceNetworking.Options(
              ServiceCidr.parse(cidr),
              services.nodePorts(),
              services.repairGrace(),
              services.repairInterval());
      return this;
    }

    /** The node ports Services may use, as "30000-32767" (the default). */
    public Builder nodePortRange(String range) {
      services =
          new ServiceNetworking.Options(
              services.cidr(),
              PortRange.parse(range),
              services.repairGrace(),
              services.repairInterval());
      return this;
    }

    /**
     * How old an unused allocation must be before the repair pass frees it (default one minute),
     * and how often the pass runs after start-up (default three minutes; zero for only at start).
     */
    public Builder allocationRepair(Duration grace, Duration interval) {
      services =
          new ServiceNetworking.Options(services.cidr(), services.nodePorts(), grace, interval);
      return this;
    }

    ServiceNetworking.Options serviceOptions() {
      return services;
    }

    public ApiServer build() {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(registry, "registry");
      if (registry.byResource("", "v1", "namespaces").isEmpty()) {
        throw new IllegalArgumentException("the kind registry must serve namespaces");
      }
      return new ApiServer(this);
    }
  }
}
