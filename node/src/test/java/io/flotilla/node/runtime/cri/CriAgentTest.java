package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.runtime.cri.testsupport.ContainerdExtension;
import io.flotilla.node.runtime.cri.testsupport.TestContainerd;
import io.flotilla.node.runtime.cri.testsupport.TestImages;
import io.flotilla.testing.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cri agent against a real in-process apiserver and a real containerd: busybox pods run with
 * their pod IP from the node's network, image pull policies give kubelet's waiting reasons, and the
 * node reports its runtime version and images.
 */
@ExtendWith(ContainerdExtension.class)
@EnabledIf("io.flotilla.node.runtime.cri.CriRuntimeContractTest#containerdInstalled")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CriAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String NODE = "cri-node";
  private InProcessCluster cluster;
  private KubernetesClient client;
  private CriAgent agent;
  private TestContainerd containerd;
  private Path dataDir;

  @BeforeAll
  void start(TestContainerd containerd) throws Exception {
    this.containerd = containerd;
    cluster = InProcessCluster.start();
    client = cluster.client();
    dataDir = Files.createTempDirectory("flotilla-cri-agent");
    // The test containerd has its CNI config for its own subnet already: the agent writes none.
    agent =
        CriAgent.start(
            client,
            containerd.client(),
            CriAgent.Options.of(NODE, "127.0.0.1", dataDir, null)
                .withPodCidr(containerd.network().subnet())
                .withAgentOptions(AgentOptions.defaults()));
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
      CriAgent.removeAllSandboxes(containerd.client());
    }
    if (cluster != null) {
      cluster.close();
    }
    io.flotilla.node.pod.PodVolumes.tearDown(dataDir);
  }

  private Pod create(String yaml) {
    Pod p = Serialization.unmarshal(yaml, Pod.class);
    p.getMetadata().setNamespace("default");
    p.getSpec().setNodeName(NODE);
    return client.pods().resource(p).create();
  }

  private Pod awaitPod(String name, Predicate<Pod> ok) {
    return await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace("default").withName(name).get(), ok);
  }

  private static ContainerStateWaiting waiting(Pod p) {
    List<ContainerStatus> cs = p.getStatus() == null ? null : p.getStatus().getContainerStatuses();
    if (cs == null || cs.isEmpty() || cs.getFirst().getState() == null) {
      return null;
    }
    return cs.getFirst().getState().getWaiting();
  }

  @Test
  void aBusyboxPodRunsWithAnIpFromTheNodesPodNetwork() {
    create(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: hello}
        spec:
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: [sh, -c, 'echo hello; exec sleep 3600']
            resources: {requests: {cpu: 100m}, limits: {cpu: 200m, memory: 64Mi}}
        """);
    Pod p =
        awaitPod("hello", x -> x.getStatus() != null && "Running".equals(x.getStatus().getPhase()));
    assertThat(containerd.network().contains(p.getStatus().getPodIP()))
        .as("pod IP %s", p.getStatus().getPodIP())
        .isTrue();
    ContainerStatus c = p.getStatus().getContainerStatuses().getFirst();
    assertThat(c.getContainerID()).startsWith("containerd://");
    assertThat(c.getImageID()).startsWith("sha256:");
    assertThat(c.getReady()).isTrue();
  }

  @Test
  void theNodeReportsContainerdAndItsImages() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Node n = client.nodes().withName(NODE).get();
              assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion())
                  .startsWith("containerd://");
              assertThat(n.getStatus().getImages())
                  .flatExtracting(ContainerImage::getNames)
                  .contains(TestImages.BUSYBOX);
              assertThat(n.getStatus().getImages())
                  .allSatisfy(i -> assertThat(i.getSizeBytes()).isPositive());
            });
  }

  @Test
  void pullPolicyNeverWithoutTheImageWaitsWithErrImageNeverPull() {
    create(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: never}
        spec:
          containers:
          - name: main
            image: example.invalid/absent:1.0
            imagePullPolicy: Never
        """);
    Pod p =
        awaitPod(
            "never",
            x ->
                waiting(x) != null
                    && waiting(x).getReason() != null
                    && waiting(x).getReason().equals("ErrImageNeverPull"));
    assertThat(waiting(p).getMessage())
        .isEqualTo(
            "Container image \"example.invalid/absent:1.0\" is not present with pull policy of"
                + " Never");
  }

  @Test
  void aFailingPullReportsErrImagePullThenImagePullBackOff() throws Exception {
    // Every waiting state the pod passes through: ErrImagePull lasts about a second each time.
    List<ContainerStateWaiting> seen = new CopyOnWriteArrayList<>();
    try (Watch w =
        client
            .pods()
            .inNamespace("default")
            .withName("nopull")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod p) {
                    if (waiting(p) != null) {
                      seen.add(waiting(p));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      // Nothing listens on 127.0.0.1:1, so the pull fails at once.
      create(
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: nopull}
          spec:
            containers:
            - name: main
              image: 127.0.0.1:1/absent:1.0
          """);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(seen)
                      .extracting(ContainerStateWaiting::getReason)
                      .containsSubsequence("ErrImagePull", "ImagePullBackOff"));
    }
    assertThat(seen)
        .filteredOn(x -> "ErrImagePull".equals(x.getReason()))
        .first()
        .extracting(ContainerStateWaiting::getMessage)
        .asString()
        .startsWith("Failed to pull image \"127.0.0.1:1/absent:1.0\": ");
    assertThat(seen)
        .filteredOn(x -> "ImagePullBackOff".equals(x.getReason()))
        .first()
        .extracting(ContainerStateWaiting::getMessage)
        .isEqualTo("Back-off pulling image \"127.0.0.1:1/absent:1.0\"");
  }

  @Test
  void runAsNonRootWithAnImageThatRunsAsRootIsAConfigError() {
    create(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: nonroot}
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: [sleep, '3600']
        """);
    Pod p =
        awaitPod(
            "nonroot",
            x -> waiting(x) != null && "CreateContainerConfigError".equals(waiting(x).getReason()));
    assertThat(waiting(p).getMessage())
        .startsWith(
            "container has runAsNonRoot and image will run as root (pod: \"nonroot_default(")
        .endsWith(", container: main)");
  }
}
