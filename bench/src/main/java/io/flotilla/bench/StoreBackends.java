package io.flotilla.bench;

import io.flotilla.store.Store;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How the store benchmark opens the stores it measures. It is the benchmark's only link to the
 * store implementations, so that tests can give it a fake and a change in the implementations'
 * factories is one edit in {@link ShippedStoreBackends}.
 */
interface StoreBackends {

  /** Opens (or creates) the embedded store in {@code dataDir}. */
  Store openEmbedded(Path dataDir) throws Exception;

  /** Connects to an etcd cluster. */
  Store openEtcd(List<URI> endpoints) throws Exception;

  /**
   * Starts a private single-member etcd on loopback for the run.
   *
   * @throws BackendUnavailableException when etcd is not installed or does not come up; the message
   *     says how to fix it
   */
  LocalEtcd startEtcd() throws Exception;

  /** A running etcd that the benchmark started; {@link #close()} stops it and deletes its data. */
  interface LocalEtcd extends AutoCloseable {
    List<URI> endpoints();

    @Override
    void close();
  }

  /**
   * A backend cannot be run here (etcd not installed, store not built in); nothing was measured.
   */
  final class BackendUnavailableException extends Exception {
    BackendUnavailableException(String message) {
      super(message);
    }

    BackendUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
