package io.flotilla.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.registry.CachedListWatchSource;
import org.junit.jupiter.api.BeforeAll;

/** {@link Fabric8ClientTest} with lists and watches served from the watch cache. */
class CachedFabric8ClientTest extends Fabric8ClientTest {
  @BeforeAll
  static void start() throws Exception {
    c =
        new TestCluster(
            b ->
                b.listWatchSource(s -> new CachedListWatchSource(s, WatchCacheOptions.defaults())));
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(c.url())
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    k = new KubernetesClientBuilder().withConfig(config).build();
  }
}
