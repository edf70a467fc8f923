package io.flotilla.apiserver.cache;

import io.flotilla.store.Store;
import io.flotilla.store.etcd.EtcdProcess;
import io.flotilla.store.etcd.EtcdStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every {@link WatchCacheTest} case against a real etcd server: one process for the class, and a
 * key prefix of its own per test so that each test starts from an empty store.
 */
class WatchCacheOnEtcdTest extends WatchCacheTest {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static EtcdProcess etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdProcess.start();
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  @Override
  Store openStore() {
    return EtcdStore.connect(
        etcd.endpoints(), "/test" + TESTS.incrementAndGet(), Duration.ofSeconds(10));
  }
}
