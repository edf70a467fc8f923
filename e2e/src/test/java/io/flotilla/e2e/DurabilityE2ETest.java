package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server while clients write: every write the server acknowledged is there after a
 * restart, and resourceVersions keep rising.
 */
class DurabilityE2ETest {
  @TempDir Path dir;

  static KubernetesClient client(Path kubeconfig) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Test
  void acknowledgedWritesSurviveKillDashNine() throws Exception {
    FlotillaProcess server = FlotillaProcess.start(dir.resolve("data"));
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    try {
      for (int round = 0; round < 3; round++) {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try (KubernetesClient k = client(server.kubeconfig())) {
          int r = round;
          for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.submit(
                () -> {
                  for (int i = 0; !stop.get(); i++) {
                    String name = "r%d-w%d-%d".formatted(r, writer, i);
                    ConfigMap cm =
                        new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .addToData("i", Integer.toString(i))
                            .build();
                    try {
                      ConfigMap created =
                          k.configMaps().inNamespace("default").resource(cm).create();
                      acknowledged.put(
                          name, Long.parseLong(created.getMetadata().getResourceVersion()));
                    } catch (RuntimeException e) {
                      return; // the server died under us: this write was not acknowledged
                    }
                  }
                });
          }
          long target = acknowledged.size() + 100;
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(60))
              .until(() -> acknowledged.size() >= target);
          server.kill();
          stop.set(true);
          writers.shutdown();
          assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        server.restart();
        try (KubernetesClient k = client(server.kubeconfig())) {
          Map<String, ConfigMap> present = new ConcurrentHashMap<>();
          k.configMaps()
              .inNamespace("default")
              .list()
              .getItems()
              .forEach(cm -> present.put(cm.getMetadata().getName(), cm));
          assertThat(present.keySet())
              .as("acknowledged writes after kill -9 #%d", round + 1)
              .containsAll(acknowledged.keySet());
          long maxAcked = acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(0);
          ConfigMap after =
              k.configMaps()
                  .inNamespace("default")
                  .resource(
                      new ConfigMapBuilder()
                          .withNewMetadata()
                          .withName("after-" + round)
                          .endMetadata()
                          .build())
                  .create();
          assertThat(Long.parseLong(after.getMetadata().getResourceVersion()))
              .isGreaterThan(maxAcked);
        }
      }
    } finally {
      server.close();
    }
  }
}
