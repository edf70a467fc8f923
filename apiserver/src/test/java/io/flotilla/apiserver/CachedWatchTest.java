package io.flotilla.apiserver;

import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import org.junit.jupiter.api.BeforeAll;

/** {@link WatchTest} with lists and watches served from the watch cache. */
class CachedWatchTest extends WatchTest {
  @BeforeAll
  static void start() throws Exception {
    c =
        new TestCluster(
            b ->
                b.listWatchSource(s -> new CachedListWatchSource(s, WatchCacheOptions.defaults())));
  }
}
