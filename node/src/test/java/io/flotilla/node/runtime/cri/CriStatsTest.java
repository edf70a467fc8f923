package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.node.runtime.ContainerUsage;
import io.flotilla.node.runtime.cri.testsupport.ContainerdExtension;
import io.flotilla.node.runtime.cri.testsupport.TestContainerd;
import io.flotilla.node.runtime.cri.testsupport.TestImages;
import io.flotilla.node.runtime.cri.v1.ContainerConfig;
import io.flotilla.node.runtime.cri.v1.ContainerMetadata;
import io.flotilla.node.runtime.cri.v1.ImageSpec;
import io.flotilla.node.runtime.cri.v1.PodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.PodSandboxMetadata;
import io.flotilla.node.stats.FsFigures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Container usage and the image file system from a real containerd. */
@ExtendWith(ContainerdExtension.class)
class CriStatsTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private TestContainerd containerd;
  private CriClient cri;
  private String sandboxId;

  @BeforeEach
  void connect(TestContainerd containerd) {
    this.containerd = containerd;
    this.cri = containerd.client();
  }

  @AfterEach
  void removeSandbox() {
    if (sandboxId != null) {
      cri.stopPodSandbox(sandboxId);
      cri.removePodSandbox(sandboxId);
    }
  }

  @Test
  void reportsCpuAndMemoryOfARunningContainerWithItsSandbox() {
    PodSandboxConfig sandbox =
        PodSandboxConfig.newBuilder()
            .setMetadata(
                PodSandboxMetadata.newBuilder()
                    .setName("stats")
                    .setNamespace("default")
                    .setUid(UUID.randomUUID().toString()))
            .setHostname("stats")
            .setLogDirectory(containerd.newPodLogDir().toString())
            .build();
    sandboxId = cri.runPodSandbox(sandbox);
    String id =
        cri.createContainer(
            sandboxId,
            ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("spin"))
                .setImage(ImageSpec.newBuilder().setImage(TestImages.BUSYBOX))
                .addAllCommand(List.of("sh", "-c", "while :; do :; done"))
                .setLogPath("spin_0.log")
                .build(),
            sandbox);
    cri.startContainer(id);
    CriStats stats = new CriStats(cri);

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(stats.containerStats())
                    .filteredOn(u -> u.containerId().equals(id))
                    .singleElement()
                    .satisfies(
                        u -> {
                          assertThat(u.sandboxId()).isEqualTo(sandboxId);
                          assertThat(u.name()).isEqualTo("spin");
                          assertThat(u.cpuCoreNanoSeconds()).isPositive();
                          assertThat(u.memoryWorkingSetBytes()).isPositive();
                        }));
    assertThat(stats.containerStats()).extracting(ContainerUsage::containerId).contains(id);
  }

  @Test
  void reportsTheImageFileSystem() {
    CriStats stats = new CriStats(cri);

    // containerd counts snapshot usage on its own period (cri's snapshot syncer, 10 s).
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              FsFigures fs = stats.imageFs();
              assertThat(fs).isNotNull();
              assertThat(fs.capacityBytes()).isPositive();
              assertThat(fs.usedBytes()).as("the imported images use space").isPositive();
              assertThat(fs.availableBytes()).isLessThanOrEqualTo(fs.capacityBytes());
              assertThat(stats.host(Path.of(".")).sample().imageFs().usedBytes())
                  .as("the Summary API's imagefs is containerd's")
                  .isEqualTo(fs.usedBytes());
            });
  }
}
