package io.flotilla.apiserver;

import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CustomResourceFabric8Test} with lists and watches served from the watch cache, as {@code
 * flotilla server} runs.
 */
class CachedCustomResourceFabric8Test extends CustomResourceFabric8Test {
  @BeforeAll
  static void start() throws Exception {
    startWith(
        b -> b.listWatchSource(s -> new CachedListWatchSource(s, WatchCacheOptions.defaults())));
  }
}
