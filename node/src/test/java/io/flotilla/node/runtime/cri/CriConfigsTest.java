package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.LinuxContainerResources;
import io.flotilla.node.runtime.cri.v1.NamespaceMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CriConfigsTest {
  @ParameterizedTest(name = "request {0}m, limit {1}m → shares {2}, quota {3}")
  @CsvSource({
    "0, 0, 2, 0",
    "1, 0, 2, 0",
    "100, 0, 102, 0",
    "250, 500, 256, 50000",
    "0, 2000, 2048, 200000",
    "0, 5, 5, 1000"
  })
  void cpuSharesComeFromRequestsAndQuotaFromLimitsAsKubeletComputesThem(
      long request, long limit, long shares, long quota) {
    LinuxContainerResources r =
        CriConfigs.resources(new ContainerConfig.Resources(request, limit, 0));
    assertThat(r.getCpuShares()).isEqualTo(shares);
    assertThat(r.getCpuQuota()).isEqualTo(quota);
    assertThat(r.getCpuPeriod()).isEqualTo(limit > 0 ? 100_000 : 0);
  }

  @ParameterizedTest(name = "{0}m/{1}m, memory limit {2} → oom_score_adj {3}")
  @CsvSource({
    "0, 0, 0, 1000",
    "500, 500, 1048576, -997",
    "0, 500, 1048576, -997",
    "100, 0, 0, 999"
  })
  void oomScoreFollowsTheQosClass(long request, long limit, long memory, int score) {
    assertThat(CriConfigs.resources(new ContainerConfig.Resources(request, limit, memory)))
        .extracting(LinuxContainerResources::getOomScoreAdj)
        .isEqualTo((long) score);
  }

  @Test
  void containersCarryThePodsIdentityLabelsAndSecurityContext() {
    PodSandboxConfig sb =
        new PodSandboxConfig("web", "prod", "uid-1", 0, "web", Map.of("app", "web"), Map.of());
    ContainerConfig c =
        new ContainerConfig(
            "main",
            2,
            "busybox",
            List.of("sh"),
            List.of("-c", "true"),
            "/work",
            Map.of("B", "2", "A", "1"),
            Map.of(),
            Map.of(),
            List.of(new ContainerConfig.Mount("/data", "/var/lib/x", true)),
            "main/2.log",
            new ContainerConfig.Resources(0, 0, 64L << 20),
            new ContainerConfig.SecurityContext(
                1000L, 2000L, false, true, List.of("NET_ADMIN"), List.of("ALL"), true, true));
    var cri = CriConfigs.container(c, sb, null);
    assertThat(cri.getMetadata().getAttempt()).isEqualTo(2);
    assertThat(cri.getLabelsMap())
        .containsEntry("io.kubernetes.pod.name", "web")
        .containsEntry("io.kubernetes.pod.namespace", "prod")
        .containsEntry("io.kubernetes.pod.uid", "uid-1")
        .containsEntry(ContainerConfig.CONTAINER_NAME_LABEL, "main");
    assertThat(cri.getEnvsList()).extracting(e -> e.getKey()).containsExactly("A", "B");
    assertThat(cri.getMounts(0).getReadonly()).isTrue();
    var sc = cri.getLinux().getSecurityContext();
    assertThat(sc.getRunAsUser().getValue()).isEqualTo(1000);
    assertThat(sc.getRunAsGroup().getValue()).isEqualTo(2000);
    assertThat(sc.getReadonlyRootfs()).isTrue();
    assertThat(sc.getNoNewPrivs()).isTrue();
    assertThat(sc.getCapabilities().getAddCapabilitiesList()).containsExactly("NET_ADMIN");
    assertThat(sc.getCapabilities().getDropCapabilitiesList()).containsExactly("ALL");
    assertThat(sc.getNamespaceOptions().getNetwork()).isEqualTo(NamespaceMode.POD);
    assertThat(cri.getLinux().getResources().getMemoryLimitInBytes()).isEqualTo(64L << 20);
    ContainerConfig attachable =
        new ContainerConfig(
            c.name(),
            c.attempt(),
            c.image(),
            c.command(),
            c.args(),
            c.workingDir(),
            c.env(),
            c.labels(),
            c.annotations(),
            c.mounts(),
            c.logPath(),
            c.resources(),
            c.securityContext(),
            true,
            false,
            true);
    var withTty = CriConfigs.container(attachable, sb, null);
    assertThat(withTty.getStdin()).isTrue();
    assertThat(withTty.getStdinOnce()).isFalse();
    assertThat(withTty.getTty()).isTrue();
    assertThat(cri.getTty()).isFalse();
    assertThat(CriConfigs.sandbox(sb).getLabelsMap())
        .containsEntry("app", "web")
        .containsEntry("io.kubernetes.pod.uid", "uid-1");
  }
}
