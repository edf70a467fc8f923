package io.flotilla.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.api.KindRegistry;
import io.flotilla.apiserver.ApiServer;
import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import io.flotilla.apiserver.security.ClusterPki;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A control plane in this process for tests of its clients (scheduler, controllers, node agent): a
 * real RocksDB store in a temporary directory and the real apiserver with its watch cache and a
 * kubelet client presenting the cluster PKI's certificate ({@link #pki()}), serving plain HTTP on
 * an ephemeral loopback port with every request allowed. Clients are the real fabric8 client. Close
 * it to stop the server and delete the directory.
 *
 * <pre>{@code
 * try (InProcessCluster c = InProcessCluster.start();
 *     KubernetesClient k = c.client()) {
 *   k.namespaces().list();
 * }
 * }</pre>
 */
public final class InProcessCluster implements AutoCloseable {
  private final Path dir;
  private final RocksDbStore store;
  private final ApiServer server;
  private final ClusterPki pki;
  private final List<KubernetesClient> clients = new ArrayList<>();

  private InProcessCluster(Path dir, RocksDbStore store, ApiServer server, ClusterPki pki) {
    this.dir = dir;
    this.store = store;
    this.server = server;
    this.pki = pki;
  }

  /** Starts a cluster with the built-in kinds and the system clock. */
  public static InProcessCluster start() {
    return start(b -> b);
  }

  /** Starts a cluster whose apiserver builder {@code config} may change (clock, CIDRs, …). */
  public static InProcessCluster start(UnaryOperator<ApiServer.Builder> config) {
    Path dir;
    try {
      dir = Files.createTempDirectory("flotilla-cluster");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The cluster CA and the apiserver's kubelet client certificate: node agents under test trust
    // the CA (pki().ca()) and see the apiserver's calls to them signed by it.
    ClusterPki pki = ClusterPki.loadOrCreate(dir, List.of(), Clock.systemUTC());
    RocksDbStore store = RocksDbStore.open(dir.resolve("db"));
    KindRegistry registry = KindRegistry.builtIn();
    ApiServer server =
        config
            .apply(
                ApiServer.builder()
                    .store(store)
                    .registry(registry)
                    .host("127.0.0.1")
                    .port(0)
                    .workerThreads(2)
                    .clock(Clock.systemUTC())
                    .kubeletClient(KubeletClient.create(pki.kubeletClient()))
                    .bookmarkInterval(Duration.ofSeconds(1))
                    .listWatchSource(
                        s -> new CachedListWatchSource(s, WatchCacheOptions.defaults())))
            .build();
    try {
      server.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store.close();
      throw new IllegalStateException("interrupted while starting the apiserver", e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return new InProcessCluster(dir, store, server, pki);
  }

  /** The apiserver's base URL, for example {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A fabric8 client configuration for this cluster, namespace "default", no retries. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  /** A new fabric8 client; the cluster closes it when it closes. */
  public synchronized KubernetesClient client() {
    KubernetesClient k = new KubernetesClientBuilder().withConfig(config()).build();
    clients.add(k);
    return k;
  }

  /**
   * Writes a kubeconfig for this cluster (plain HTTP, no credentials) to {@code file}, for
   * components started from a kubeconfig path and for kubectl.
   */
  public Path writeKubeconfig(Path file) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: flotilla
          cluster:
            server: %s
        contexts:
        - name: flotilla
          context:
            cluster: flotilla
            user: test
            namespace: default
        current-context: flotilla
        users:
        - name: test
          user: {}
        """
            .formatted(url());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * The cluster's certificates (in its directory): the CA node agents trust for client
   * certificates, and the kubelet client certificate the apiserver presents to them.
   */
  public ClusterPki pki() {
    return pki;
  }

  public RocksDbStore store() {
    return store;
  }

  public ApiServer server() {
    return server;
  }

  /** The cluster's temporary directory (deleted on close). */
  public Path dir() {
    return dir;
  }

  @Override
  public synchronized void close() {
    clients.forEach(KubernetesClient::close);
    clients.clear();
    server.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: the directory is under the build's temporary directory.
    }
  }
}
