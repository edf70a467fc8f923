package io.flotilla.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.api.KindRegistry;
import io.flotilla.apiserver.ApiServer;
import io.flotilla.apiserver.UserInfo;
import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.discovery.OpenApiHandler;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import io.flotilla.apiserver.registry.StoreCompactor;
import io.flotilla.apiserver.security.ClusterPki;
import io.flotilla.apiserver.security.Kubeconfig;
import io.flotilla.apiserver.security.TlsContexts;
import io.flotilla.apiserver.security.X509Identity;
import io.flotilla.apiserver.services.PortRange;
import io.flotilla.apiserver.services.ServiceCidr;
import io.flotilla.scheduler.client.SchedulerRunner;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.etcd.EtcdStore;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the control plane in this process and runs it until SIGTERM or Ctrl-C: the store, the PKI,
 * the API server; then writes the admin kubeconfig and says what to try next.
 */
final class ControlPlane {
  private ControlPlane() {}

  static int runUntilStopped(ServerOptions o) throws Exception {
    PrintStream err = System.err;
    try {
      ServiceCidr.parse(o.serviceCidr());
      PortRange.parse(o.nodePortRange());
    } catch (IllegalArgumentException e) {
      err.println("flotilla: " + e.getMessage() + ".");
      return 1;
    }
    Files.createDirectories(o.dataDir());
    Clock clock = Clock.systemUTC();
    List<String> sans = new java.util.ArrayList<>(o.tlsSans());
    if (!o.bind().equals("0.0.0.0") && !o.bind().equals("::")) {
      sans.add(o.bind());
    }
    ClusterPki pki = ClusterPki.loadOrCreate(o.dataDir(), sans, clock);
    Store store = openStore(o);
    if (store == null) {
      return 1;
    }
    KindRegistry registry = KindRegistry.builtIn();
    ApiServer server =
        ApiServer.builder()
            .store(store)
            .registry(registry)
            .host(o.bind())
            .port(o.port())
            .sslContext(TlsContexts.server(pki))
            .authenticator(
                (chain, headers) -> {
                  if (chain.length == 0) {
                    return null;
                  }
                  X509Identity id = X509Identity.of(chain[0]);
                  return id == null ? null : new UserInfo(id.user(), "", id.groups());
                })
            .listWatchSource(s -> new CachedListWatchSource(s, WatchCacheOptions.defaults()))
            .nonResource(OpenApiHandler.path(), new OpenApiHandler(() -> registry))
            .clock(clock)
            .serviceCidr(o.serviceCidr())
            .nodePortRange(o.nodePortRange())
            .build();
    try {
      server.start();
    } catch (Exception e) {
      store.close();
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        err.printf(
            "flotilla: cannot listen on %s:%d: %s. Stop what uses the port or pick another with --port.%n",
            o.bind(), o.port(), e.getMessage());
        return 1;
      }
      throw e;
    }
    StoreCompactor compactor = StoreCompactor.start(store, o.compactionInterval());
    Path kubeconfig = o.dataDir().resolve("admin.kubeconfig");
    String url = "https://" + o.clientHost() + ":" + server.port();
    Kubeconfig.write(kubeconfig, url, pki, pki.admin(), "admin");

    // Components that are clients of the API, started in this process over loopback unless
    // --disable names them; closed in reverse order on shutdown, before the server.
    List<AutoCloseable> components = new java.util.ArrayList<>();
    try {
      startComponents(o, kubeconfig, components, server);
    } catch (Exception e) {
      err.println("flotilla: cannot start the in-process components: " + e.getMessage());
      for (int i = components.size() - 1; i >= 0; i--) {
        components.get(i).close();
      }
      if (compactor != null) {
        compactor.close();
      }
      server.close();
      store.close();
      return 1;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("flotilla: stopping");
                  for (int i = components.size() - 1; i >= 0; i--) {
                    try {
                      components.get(i).close();
                    } catch (Exception e) {
                      err.println("flotilla: while stopping: " + e);
                    }
                  }
                  if (compactor != null) {
                    compactor.close();
                  }
                  server.close();
                  store.close();
                  stopped.countDown();
                },
                "flotilla-shutdown"));
    err.printf("flotilla: Kubernetes API at %s (store: %s)%n", url, describe(o));
    err.printf("flotilla: kubeconfig written to %s%n", kubeconfig);
    err.printf("flotilla: try:  KUBECONFIG=%s kubectl get namespaces%n", kubeconfig);
    err.println("flotilla: Ctrl-C stops it; a new start on the same data directory continues.");
    stopped.await();
    return 0;
  }

  /**
   * Starts the in-process components (each a client of the API with the admin kubeconfig) and adds
   * what must be closed on shutdown to {@code out}.
   */
  private static void startComponents(
      ServerOptions o, Path kubeconfig, List<AutoCloseable> out, ApiServer server)
      throws Exception {
    // The scheduler and the controllers add themselves here (see ServerOptions.COMPONENTS).
    if (o.runs("scheduler")) {
      KubernetesClient client = SchedulerCommand.client(kubeconfig);
      out.add(client);
      // One server, one scheduler: the Lease still guards against a second one started with
      // `flotilla scheduler` against this server.
      out.add(
          SchedulerRunner.start(
              client,
              SchedulerRunner.Options.defaults(SchedulerCommand.identity()),
              Clock.systemUTC()));
    }
    if (o.runs("controllers")) {
      // Under the Lease kube-system/flotilla-controller-manager, like `flotilla controllers`, so
      // that one started apart against this server never runs beside these.
      io.flotilla.controllers.ControllerProcess controllers =
          io.flotilla.controllers.ControllerProcess.start(kubeconfig, true, "127.0.0.1", -1);
      out.add(controllers);
      // Their queue depths, reconcile latencies and errors join the apiserver's /metrics.
      server.metrics().include(controllers.manager().metrics()::scrape);
    }
    if (o.localNode()) {
      // `up`: this machine is the cluster's node. containerd (the cri runtime) is not built yet,
      // so its pods run as host processes (the process runtime), as `flotilla agent --runtime
      // process` would run them.
      KubernetesClient client = AgentCommand.client(kubeconfig);
      out.add(client);
      String name = io.flotilla.node.runtime.process.HostNode.hostname();
      Path dir = o.dataDir().resolve("node").toAbsolutePath();
      Files.createDirectories(dir);
      // The kubelet API (logs, exec, port-forward) on kubelet's port, checked against this CA.
      out.add(
          io.flotilla.node.runtime.process.ProcessAgent.start(
              client,
              name,
              "127.0.0.1",
              dir,
              io.flotilla.node.AgentOptions.defaults(),
              AgentCommand.kubeletOptions(client, dir, "127.0.0.1", "127.0.0.1", 10250)));
      System.err.printf(
          "flotilla: node %s registered (process runtime: pods run as host processes, data in"
              + " %s)%n",
          name, dir);
    }
  }

  private static String describe(ServerOptions o) {
    return o.store() == ServerCommand.StoreKind.etcd
        ? "etcd at " + String.join(",", o.etcdEndpoints())
        : "embedded, " + o.dataDir().resolve("db");
  }

  private static Store openStore(ServerOptions o) throws IOException {
    if (o.store() == ServerCommand.StoreKind.embedded) {
      if (!o.etcdEndpoints().isEmpty()) {
        System.err.println("flotilla: --etcd-endpoints needs --store etcd.");
        return null;
      }
      return RocksDbStore.open(o.dataDir().resolve("db"));
    }
    if (o.etcdEndpoints().isEmpty()) {
      System.err.println(
          "flotilla: --store etcd needs --etcd-endpoints URL[,URL…] (for example"
              + " http://127.0.0.1:2379).");
      return null;
    }
    try {
      return EtcdStore.connect(o.etcdEndpoints().stream().map(URI::create).toList());
    } catch (StoreException | IllegalArgumentException e) {
      System.err.println("flotilla: " + e.getMessage());
      return null;
    }
  }
}
