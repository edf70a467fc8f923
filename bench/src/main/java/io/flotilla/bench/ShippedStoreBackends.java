package io.flotilla.bench;

import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.etcd.EtcdProcess;
import io.flotilla.store.etcd.EtcdStore;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stores Flotilla ships: the embedded RocksDB store and the etcd store, with etcd started from
 * the Debian package's binary on loopback when no endpoints are given.
 */
final class ShippedStoreBackends implements StoreBackends {

  /** Where the Debian package {@code etcd-server} installs the binary. */
  static final Path ETCD_BINARY = Path.of("/usr/bin/etcd");

  @Override
  public Store openEmbedded(Path dataDir) {
    return RocksDbStore.open(dataDir);
  }

  @Override
  public Store openEtcd(List<URI> endpoints) throws BackendUnavailableException {
    try {
      return EtcdStore.connect(endpoints);
    } catch (StoreException e) {
      throw new BackendUnavailableException(e.getMessage());
    }
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
    EtcdProcess process = EtcdProcess.start(ETCD_BINARY);
    return new LocalEtcd() {
      @Override
      public List<URI> endpoints() {
        return process.endpoints();
      }

      @Override
      public void close() {
        process.close();
      }
    };
  }
}
