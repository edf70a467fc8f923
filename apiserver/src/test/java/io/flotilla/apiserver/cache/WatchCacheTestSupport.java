package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** What every watch cache test needs: a store, a cache on it, pods, and recording watches. */
abstract class WatchCacheTestSupport {
  static final String PODS = "/registry/core/pods/";
  static final Predicate<JsonNode> WEB = o -> "web".equals(o.at("/metadata/labels/app").asText());

  Store store;
  WatchCache cache;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void pollOften() {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    Awaitility.setDefaultTimeout(Duration.ofSeconds(20));
  }

  /** The store the cache under test reads. */
  abstract Store openStore() throws Exception;

  @BeforeEach
  void setUpStore() throws Exception {
    store = openStore();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    if (cache != null) {
      cache.close();
    }
    store.close();
  }

  WatchCache startCache(WatchCacheOptions options) {
    cache = WatchCache.start(store, PODS, options);
    cache.ready().orTimeout(10, TimeUnit.SECONDS).join();
    return cache;
  }

  WatchCache startCache() {
    return startCache(WatchCacheOptions.defaults());
  }

  static byte[] pod(String ns, String name, String app) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","labels":{"app":"%s"}},"spec":{}}"""
        .formatted(name, ns, app)
        .getBytes(StandardCharsets.UTF_8);
  }

  static String key(String ns, String name) {
    return PODS + ns + "/" + name;
  }

  long put(String ns, String name, String app) {
    return store.txn(Txn.put(key(ns, name), pod(ns, name, app))).join().revision();
  }

  long delete(String ns, String name) {
    return store.txn(Txn.delete(key(ns, name))).join().revision();
  }

  RecordingSink watch(String prefix, long after, Predicate<JsonNode> filter) {
    RecordingSink sink = new RecordingSink();
    toClose.add(cache.watch(prefix, after, filter, sink));
    return sink;
  }
}
