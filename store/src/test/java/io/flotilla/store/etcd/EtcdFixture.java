package io.flotilla.store.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real etcd server plus the stores connected to it, for tests: {@code try (var etcd =
 * EtcdFixture.start()) { Store s = etcd.store(); … }}. Each fixture is a fresh server whose
 * revision starts at 1; closing it closes the stores, stops the server and deletes its data.
 */
public final class EtcdFixture implements AutoCloseable {
  private final EtcdProcess process;
  private final List<EtcdStore> stores = new ArrayList<>();
  private final EtcdStore store;

  private EtcdFixture(EtcdProcess process) {
    this.process = process;
    this.store = newStore("");
  }

  public static EtcdFixture start() {
    EtcdProcess process = EtcdProcess.start();
    try {
      return new EtcdFixture(process);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  public EtcdProcess process() {
    return process;
  }

  /** The store the fixture opened at start. */
  public EtcdStore store() {
    return store;
  }

  /** Another client of the same server, with its keys under {@code keyPrefix}. */
  public EtcdStore newStore(String keyPrefix) {
    EtcdStore s = EtcdStore.connect(process.endpoints(), keyPrefix, Duration.ofSeconds(10));
    stores.add(s);
    return s;
  }

  @Override
  public void close() {
    stores.forEach(EtcdStore::close);
    process.close();
  }
}
