package io.flotilla.store;

import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

/** The contract run against the in-memory reference, so the contract itself is known to hold. */
@DisplayName("in-memory store contract")
class InMemoryStoreContractTest extends StoreContractTest {

  @Override
  protected Store newStore() {
    return InMemoryStore.create(Clock.systemUTC());
  }

  @Override
  protected Store restart(Store store) {
    return InMemoryStore.reopen((InMemoryStore) store);
  }

  @Override
  protected String backendName() {
    return "in-memory";
  }
}
