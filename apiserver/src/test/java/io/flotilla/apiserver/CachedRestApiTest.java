package io.flotilla.apiserver;

import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import org.junit.jupiter.api.BeforeAll;

/** {@link RestApiTest} with lists and watches served from the watch cache. */
class CachedRestApiTest extends RestApiTest {
  @BeforeAll
  static void start() throws Exception {
    c =
        new TestCluster(
            b ->
                b.listWatchSource(s -> new CachedListWatchSource(s, WatchCacheOptions.defaults())));
  }
}
