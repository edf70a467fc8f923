package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.DefaultControllers;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.SystemClock;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.runtime.process.ProcessAgent;
import io.flotilla.node.storage.LocalPathSweep;
import io.flotilla.scheduler.client.SchedulerRunner;
import io.flotilla.testing.InProcessCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Storage end to end, in-process: the real apiserver (with its default local-path StorageClass),
 * every default controller (binder and local-path provisioner included), the scheduler (its
 * VolumeBinding plugin) and the process agent. A claim of the default class gets a volume in the
 * node's storage directory once its pod is scheduled; what the container writes lands there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalPathStorageInProcessE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String NODE = "lp-node";
  private InProcessCluster cluster;
  private KubernetesClient k;
  private SystemClock clock;
  private ControllerManager controllers;
  private SchedulerRunner scheduler;
  private ProcessAgent agent;
  private Path dataDir;
  private Path scratch;

  @BeforeAll
  void start() throws Exception {
    cluster = InProcessCluster.start();
    k = cluster.client();
    dataDir = Files.createTempDirectory("flotilla-lp-agent");
    scratch = Files.createTempDirectory("flotilla-lp-scratch");
    // Containers running as another user reach the storage directory and mount points through
    // these.
    for (Path p : List.of(dataDir, scratch)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    agent = ProcessAgent.start(k, NODE, "127.0.0.1", dataDir, AgentOptions.defaults());
    clock = new SystemClock();
    controllers =
        DefaultControllers.addTo(ControllerManager.builder(k).clock(clock).leaderElection(false))
            .build();
    controllers.start();
    scheduler =
        SchedulerRunner.start(
            k,
            SchedulerRunner.Options.defaults("lp-test").withLeaderElect(false),
            Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {scheduler, controllers, agent, clock, cluster}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    deleteTree(dataDir);
    deleteTree(scratch);
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      // a process of the agent may still hold a file: left behind in /tmp
    }
  }

  private void apply(String yaml) {
    k.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).create();
  }

  private static String mountEnv(String path) {
    return "FLOTILLA_MOUNT_" + path.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private PersistentVolumeClaim claim(String name) {
    return k.persistentVolumeClaims().inNamespace("default").withName(name).get();
  }

  private static boolean bound(PersistentVolumeClaim c) {
    return c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
  }

  @Test
  void aPodsClaimOfTheDefaultClassGetsADirectoryOnItsNodeAndTheContainerWritesThere()
      throws Exception {
    String mount = scratch.resolve("data").toString();
    apply(
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);
    assertThat(claim("data").getSpec().getStorageClassName()).isEqualTo("local-path");
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: writer, namespace: default}
        spec:
          containers:
          - name: c
            image: busybox
            command: [sh, -c, 'echo hello > "${%s:-%s}/hello.txt"; sleep 3600']
            volumeMounts: [{name: data, mountPath: %s}]
          volumes:
          - name: data
            persistentVolumeClaim: {claimName: data}
        """
            .formatted(mountEnv(mount), mount, mount));
    await("the claim binds").atMost(WAIT).until(() -> bound(claim("data")));
    PersistentVolumeClaim c = claim("data");
    PersistentVolume pv = k.persistentVolumes().withName(c.getSpec().getVolumeName()).get();
    Path dir = Path.of(pv.getSpec().getHostPath().getPath());
    assertThat(dir.getParent()).isEqualTo(LocalPathSweep.storageDir(dataDir));
    assertThat(dir.getFileName().toString())
        .isEqualTo(pv.getMetadata().getName() + "_default_data");
    assertThat(c.getMetadata().getAnnotations())
        .containsEntry("volume.kubernetes.io/selected-node", NODE);
    await("the container writes into the volume")
        .atMost(WAIT)
        .until(
            () ->
                Files.exists(dir.resolve("hello.txt"))
                    && Files.readString(dir.resolve("hello.txt")).equals("hello\n"));
    Pod p = k.pods().inNamespace("default").withName("writer").get();
    assertThat(p.getSpec().getNodeName()).isEqualTo(NODE);

    // Delete reclaim: pod, then claim; the binder deletes the volume, the agent's sweep the
    // directory.
    k.pods().inNamespace("default").withName("writer").withGracePeriod(0).delete();
    await()
        .atMost(WAIT)
        .until(() -> k.pods().inNamespace("default").withName("writer").get() == null);
    k.persistentVolumeClaims().inNamespace("default").withName("data").delete();
    await("the volume is deleted")
        .atMost(WAIT)
        .until(() -> k.persistentVolumes().withName(pv.getMetadata().getName()).get() == null);
    List<Path> removed = LocalPathSweep.manual(k, LocalPathSweep.storageDir(dataDir)).sweepOnce();
    assertThat(removed).containsExactly(dir);
    assertThat(dir).doesNotExist();
  }

  @Test
  void aStatefulSetsClaimTemplatesGetBoundClaims() {
    apply(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
              - name: c
                image: busybox
                command: [sleep, '3600']
                volumeMounts: [{name: state, mountPath: %s}]
          volumeClaimTemplates:
          - metadata: {name: state}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        """
            .formatted(scratch.resolve("db-state")));
    await("both claims bind")
        .atMost(WAIT)
        .until(() -> bound(claim("state-db-0")) && bound(claim("state-db-1")));
    assertThat(claim("state-db-1").getSpec().getStorageClassName()).isEqualTo("local-path");
    await("both pods run")
        .atMost(WAIT)
        .until(
            () ->
                List.of("db-0", "db-1").stream()
                    .map(n -> k.pods().inNamespace("default").withName(n).get())
                    .allMatch(
                        p ->
                            p != null
                                && p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase())));
  }
}
