package io.flotilla.bench;

import io.flotilla.store.Store;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stores Flotilla ships: the embedded RocksDB store and the etcd store, with etcd started from
 * the Debian package's binary when no endpoints are given.
 *
 * <p>The store implementations ({@code io.flotilla.store.rocksdb.RocksDbStore}, {@code
 * io.flotilla.store.etcd.EtcdStore} and {@code io.flotilla.store.etcd.EtcdProcess}) are built on
 * other branches; until they are merged the three factories below report that the backend is not in
 * this build. Once merged, their bodies are one call each: {@code RocksDbStore.open(dataDir)},
 * {@code EtcdStore.connect(endpoints)}, and an {@code EtcdProcess.start()} wrapped in a {@link
 * LocalEtcd} whose {@code endpoints()} and {@code close()} delegate to the process.
 */
final class ShippedStoreBackends implements StoreBackends {

  /** Where the Debian package {@code etcd-server} installs the binary. */
  static final Path ETCD_BINARY = Path.of("/usr/bin/etcd");

  @Override
  public Store openEmbedded(Path dataDir) throws BackendUnavailableException {
    throw notBuiltIn("the embedded store (RocksDbStore)");
  }

  @Override
  public Store openEtcd(List<URI> endpoints) throws BackendUnavailableException {
    throw notBuiltIn("the etcd store (EtcdStore)");
  }

  @Override
  public LocalEtcd startEtcd() throws BackendUnavailableException {
    if (!Files.isExecutable(ETCD_BINARY)) {
      throw new BackendUnavailableException(
          ("etcd is not installed: %s is missing. Install the Debian package etcd-server"
                  + " (apt-get install etcd-server), or point the benchmark at a running etcd"
                  + " with --etcd-endpoints http://127.0.0.1:2379.")
              .formatted(ETCD_BINARY));
    }
    throw notBuiltIn("the etcd launcher (EtcdProcess)");
  }

  private static BackendUnavailableException notBuiltIn(String what) {
    return new BackendUnavailableException(what + " is not part of this build");
  }
}
