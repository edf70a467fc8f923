package io.flotilla.store.etcd;

import io.flotilla.store.Store;
import io.flotilla.store.StoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("etcd store contract")
class EtcdStoreContractTest extends StoreContractTest {
  private EtcdProcess process;

  @Override
  protected Store newStore() {
    process = EtcdProcess.start();
    return EtcdStore.connect(process.endpoints());
  }

  @Override
  protected Store restart(Store store) {
    // A restart of etcd itself, on the same data and ports: what survives is what etcd made
    // durable.
    store.close();
    process.restart();
    return EtcdStore.connect(process.endpoints());
  }

  @Override
  protected String backendName() {
    return "etcd";
  }

  @AfterEach
  void stopEtcd() {
    if (process != null) {
      process.close();
    }
  }
}
