package io.flotilla.store.rocksdb;

import io.flotilla.store.Store;
import io.flotilla.store.StoreContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("embedded store contract")
class RocksDbStoreContractTest extends StoreContractTest {
  private final Map<Store, Path> dirs = new IdentityHashMap<>();

  @Override
  protected Store newStore() throws Exception {
    Path dir = Files.createTempDirectory("contract-rocks-");
    Store s = RocksDbStore.open(dir);
    dirs.put(s, dir);
    return s;
  }

  @Override
  protected Store restart(Store store) {
    Path dir = dirs.get(store);
    store.close();
    Store s = RocksDbStore.open(dir);
    dirs.put(s, dir);
    return s;
  }

  @Override
  protected String backendName() {
    return "embedded";
  }
}
