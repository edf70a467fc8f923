package io.flotilla.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link Store} must show, whatever holds the data: etcd v3 semantics for
 * revisions, compare-and-write, ranges, history, watches and leases, under concurrency and across
 * restarts. Each implementation extends this class once, names itself with a {@code @DisplayName}
 * and passes the same cases.
 *
 * <p>The cases are grouped by concern into {@link Nested} classes, each in its own file ({@code
 * StoreContract*Cases}). Every case gets a fresh, empty store from {@link #newStore()} and closes
 * it afterwards. The groups that need time on purpose (races, lease expiry) keep counts small and
 * TTLs short so that the whole suite takes seconds for an embedded store.
 */
public abstract class StoreContractTest {

  /** A fresh, empty store (revision 1). Called before each test. */
  protected abstract Store newStore() throws Exception;

  /**
   * Closes the store and opens it again on the same data (a restart), or reconnects for a store
   * that is the client of a server. Returns the store to use from then on.
   */
  protected abstract Store restart(Store store) throws Exception;

  /** A short name used in messages ("embedded", "etcd"). */
  protected abstract String backendName();

  /** The store under test; replaced by {@link #restartStore()}. */
  protected Store store;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  void restartStore() throws Exception {
    store = restart(store);
  }

  @Nested
  @DisplayName("revisions and compare-and-write")
  class Writes extends StoreContractWriteCases {
    Writes() {
      super(StoreContractTest.this);
    }
  }

  @Nested
  @DisplayName("ranges")
  class Ranges extends StoreContractRangeCases {
    Ranges() {
      super(StoreContractTest.this);
    }
  }

  @Nested
  @DisplayName("history and compaction")
  class History extends StoreContractHistoryCases {
    History() {
      super(StoreContractTest.this);
    }
  }

  @Nested
  @DisplayName("watches")
  class Watches extends StoreContractWatchCases {
    Watches() {
      super(StoreContractTest.this);
    }
  }

  @Nested
  @DisplayName("races")
  class Races extends StoreContractRaceCases {
    Races() {
      super(StoreContractTest.this);
    }
  }

  @Nested
  @DisplayName("leases")
  class Leases extends StoreContractLeaseCases {
    Leases() {
      super(StoreContractTest.this);
    }
  }

  @Nested
  @DisplayName("bad input and durability")
  class InputAndDurability extends StoreContractInputCases {
    InputAndDurability() {
      super(StoreContractTest.this);
    }
  }
}
