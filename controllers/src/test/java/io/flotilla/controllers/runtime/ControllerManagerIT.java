package io.flotilla.controllers.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.testing.InProcessCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ControllerManagerIT {

  /** Copies each ConfigMap's data into an annotation; records an event each time. */
  private static Controller stamper(ControllerContext ctx, Set<String> seen) {
    var informer = ctx.informers().forType(ConfigMap.class);
    EventRecorder events = ctx.recorder("stamper");
    return Controller.builder(
            ctx,
            "stamper",
            key -> {
              seen.add(key);
              ConfigMap cm = informer.getStore().getByKey(key);
              if (cm == null || cm.getData() == null) {
                return Result.done();
              }
              String want = String.valueOf(cm.getData());
              var ann = cm.getMetadata().getAnnotations();
              if (ann != null && want.equals(ann.get("stamp"))) {
                return Result.done();
              }
              ctx.client()
                  .configMaps()
                  .inNamespace(cm.getMetadata().getNamespace())
                  .withName(cm.getMetadata().getName())
                  .edit(
                      c ->
                          new ConfigMapBuilder(c)
                              .editMetadata()
                              .addToAnnotations("stamp", want)
                              .endMetadata()
                              .build());
              events.normal(cm, "Stamped", "stamped %s", want);
              return Result.done();
            })
        .watch(informer)
        .workers(2)
        .build();
  }

  @Test
  void runsControllersUnderTheLeaseAndReconcilesWhatTheInformerSees() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (InProcessCluster c = InProcessCluster.start();
        SystemClock clock = new SystemClock()) {
      KubernetesClient k = c.client();
      k.configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("one")
                  .endMetadata()
                  .addToData("a", "1")
                  .build())
          .create();
      try (ControllerManager m =
          ControllerManager.builder(c.client())
              .clock(clock)
              .identity("test-1")
              .add("stamper", ctx -> stamper(ctx, seen))
              .build()) {
        m.start();
        await().atMost(Duration.ofSeconds(60)).until(m::isLeading);
        Lease lease =
            k.leases()
                .inNamespace(ControllerManager.LEASE_NAMESPACE)
                .withName(ControllerManager.LEASE_NAME)
                .get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("test-1");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    "{a=1}"
                        .equals(
                            k.configMaps()
                                .inNamespace("default")
                                .withName("one")
                                .get()
                                .getMetadata()
                                .getAnnotations()
                                .get("stamp")));
        k.configMaps()
            .inNamespace("default")
            .withName("one")
            .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("a", "2")).build());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    "{a=2}"
                        .equals(
                            k.configMaps()
                                .inNamespace("default")
                                .withName("one")
                                .get()
                                .getMetadata()
                                .getAnnotations()
                                .get("stamp")));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    k.v1().events().inNamespace("default").list().getItems().stream()
                            .filter(e -> e.getReason().equals("Stamped"))
                            .count()
                        == 2);
        String metrics = new String(m.metrics().scrape(), StandardCharsets.UTF_8);
        assertThat(metrics)
            .contains(
                "controller_runtime_reconcile_total{controller=\"stamper\",result=\"success\"}")
            .contains("workqueue_depth{name=\"stamper\"}")
            .contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"stamper\"");
      }
      assertThat(seen).contains("default/one");
    }
  }

  @Test
  void eventRecorderBumpsTheCountOfARepeatedEventInsteadOfWritingAnother() throws Exception {
    try (InProcessCluster c = InProcessCluster.start();
        SystemClock clock = new SystemClock()) {
      KubernetesClient k = c.client();
      ConfigMap cm =
          k.configMaps()
              .inNamespace("default")
              .resource(
                  new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build())
              .create();
      try (EventRecorder r = new EventRecorder(k, "test", clock)) {
        r.warning(cm, "Broken", "it broke: %s", "twice");
        r.warning(cm, "Broken", "it broke: %s", "twice");
        r.normal(cm, "Fixed", "fixed");
        r.flush();
      }
      List<Event> events = k.v1().events().inNamespace("default").list().getItems();
      assertThat(events).hasSize(2);
      Event broken =
          events.stream().filter(e -> e.getReason().equals("Broken")).findFirst().orElseThrow();
      assertThat(broken.getCount()).isEqualTo(2);
      assertThat(broken.getType()).isEqualTo("Warning");
      assertThat(broken.getMessage()).isEqualTo("it broke: twice");
      assertThat(broken.getInvolvedObject().getName()).isEqualTo("cm");
      assertThat(broken.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
      assertThat(broken.getSource().getComponent()).isEqualTo("test");
    }
  }
}
