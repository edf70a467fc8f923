package io.flotilla.bench;

import io.flotilla.api.KindRegistry;
import io.flotilla.apiserver.ApiServer;
import io.flotilla.apiserver.UserInfo;
import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import io.flotilla.apiserver.security.ClusterPki;
import io.flotilla.apiserver.security.Kubeconfig;
import io.flotilla.apiserver.security.TlsContexts;
import io.flotilla.apiserver.security.X509Identity;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The API server the benchmark measures, started in this process as {@code flotilla server} runs
 * it: the embedded RocksDB store in a fresh temporary directory, the watch cache ({@link
 * CachedListWatchSource}), TLS with the cluster PKI on 127.0.0.1 and an ephemeral port, and client
 * certificates authenticating users. The benchmark's clients present the admin certificate.
 *
 * <p>{@link #close()} stops the server, closes the store and deletes the directory.
 */
final class BenchApiServer implements AutoCloseable {
  private static final char[] NO_PASSWORD = "bench".toCharArray();

  private final Path dir;
  private final RocksDbStore store;
  private final ApiServer server;
  private final ClusterPki pki;
  private final ApiTarget target;

  private BenchApiServer(
      Path dir, RocksDbStore store, ApiServer server, ClusterPki pki, ApiTarget target) {
    this.dir = dir;
    this.store = store;
    this.server = server;
    this.pki = pki;
    this.target = target;
  }

  /** Starts a server on a fresh temporary directory; blocks until it listens. */
  static BenchApiServer start(Clock clock) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("flotilla-bench-api-");
    RocksDbStore store = null;
    try {
      ClusterPki pki = ClusterPki.loadOrCreate(dir, List.of(), clock);
      store = RocksDbStore.open(dir.resolve("db"));
      ApiServer server =
          ApiServer.builder()
              .store(store)
              .registry(KindRegistry.builtIn())
              .host("127.0.0.1")
              .port(0)
              .sslContext(TlsContexts.server(pki))
              .authenticator(BenchApiServer::certificateUser)
              .listWatchSource(s -> new CachedListWatchSource(s, WatchCacheOptions.defaults()))
              .clock(clock)
              .build()
              .start();
      URI base = URI.create("https://127.0.0.1:" + server.port());
      return new BenchApiServer(
          dir, store, server, pki, new ApiTarget(base, adminContext(pki), "in-process", null));
    } catch (InterruptedException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      DataDirs.deleteTree(dir);
      throw e;
    }
  }

  /** The user a verified client certificate names, as {@code flotilla server} reads it. */
  private static UserInfo certificateUser(
      java.security.cert.X509Certificate[] chain, io.netty.handler.codec.http.HttpHeaders h) {
    if (chain.length == 0) {
      return null;
    }
    X509Identity id = X509Identity.of(chain[0]);
    return id == null ? null : new UserInfo(id.user(), "", id.groups());
  }

  /** A client TLS context trusting the cluster CA and presenting the admin certificate. */
  static SSLContext adminContext(ClusterPki pki) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "admin",
          pki.admin().key(),
          NO_PASSWORD,
          new Certificate[] {pki.admin().certificate(), pki.ca().certificate()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.ca().certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the client TLS context: " + e.getMessage(), e);
    }
  }

  ApiTarget target() {
    return target;
  }

  /** The server's Prometheus metrics (request counters by verb, resource and code). */
  io.flotilla.apiserver.http.ApiMetrics metrics() {
    return server.metrics();
  }

  /** Writes an admin kubeconfig for this server, as {@code flotilla server} does. */
  void writeKubeconfig(Path file) throws IOException {
    Kubeconfig.write(file, target.base().toString(), pki, pki.admin(), "admin");
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      store.close();
      DataDirs.deleteTree(dir);
    }
  }
}
