package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerConfigException;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.runtime.RuntimeContractTest;
import io.flotilla.node.runtime.cri.testsupport.ContainerdExtension;
import io.flotilla.node.runtime.cri.testsupport.TestContainerd;
import io.flotilla.node.runtime.cri.testsupport.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cri runtime passes the runtime contract against a real containerd with busybox. */
@ExtendWith(ContainerdExtension.class)
@EnabledIf("containerdInstalled")
class CriRuntimeContractTest extends RuntimeContractTest {
  private static TestContainerd containerd;

  @BeforeAll
  static void containerd(TestContainerd c) {
    containerd = c;
  }

  /** The class is skipped (not failed) on a machine without containerd and runc. */
  static boolean containerdInstalled() {
    return Files.isExecutable(Path.of("/usr/bin/containerd"))
        && Files.isExecutable(Path.of("/usr/sbin/runc"));
  }

  @Override
  protected Runtime newRuntime(Path dir) {
    return new CriRuntime(containerd.client(), null);
  }

  @Override
  protected ContainerConfig runningContainer(String name, int attempt) {
    return busybox(name, attempt, "echo hello; exec sleep 3600", List.of());
  }

  @Override
  protected ContainerConfig exitingContainer(String name, int code) {
    return busybox(name, 0, "exit " + code, List.of());
  }

  @Override
  protected boolean writesLogs() {
    return true;
  }

  @Override
  protected ContainerConfig catContainer(String path, List<ContainerConfig.Mount> mounts) {
    return busybox("cat", 0, "cat " + path + "; echo; exec sleep 3600", mounts);
  }

  @Test
  void podIpComesFromTheNodesPodNetwork() {
    PodSandboxConfig sb =
        new PodSandboxConfig("ip", "default", "uid-ip", 0, "ip", Map.of(), Map.of());
    String id = runtime.runPodSandbox(sb);
    assertThat(containerd.network().contains(runtime.podSandboxStatus(id).ip()))
        .as("pod IP in %s", containerd.network().subnet())
        .isTrue();
    runtime.removePodSandbox(id);
  }

  @Test
  void runAsNonRootRefusesAnImageThatRunsAsRootWithKubeletsMessage() {
    PodSandboxConfig sb =
        new PodSandboxConfig("nonroot", "default", "uid-nr", 0, "nonroot", Map.of(), Map.of());
    String sid = runtime.runPodSandbox(sb);
    ContainerConfig c = busybox("app", 0, "exec sleep 3600", List.of());
    ContainerConfig nonRoot =
        withSecurity(
            c,
            new ContainerConfig.SecurityContext(
                null, null, false, false, List.of(), List.of(), true, true));
    assertThatThrownBy(() -> runtime.createContainer(sid, nonRoot, sb))
        .isInstanceOf(ContainerConfigException.class)
        .hasMessage(
            "container has runAsNonRoot and image will run as root (pod: \"nonroot_default(uid-nr)\","
                + " container: app)");
    ContainerConfig asNobody =
        withSecurity(
            c,
            new ContainerConfig.SecurityContext(
                65534L, 65534L, false, true, List.of(), List.of("ALL"), true, true));
    String cid = runtime.createContainer(sid, asNobody, sb);
    runtime.startContainer(cid);
    var r = runtime.execSync(cid, List.of("id", "-u"), WAIT);
    assertThat(r.stdout().trim()).isEqualTo("65534");
    assertThat(runtime.execSync(cid, List.of("touch", "/x"), WAIT).exitCode())
        .as("read-only root filesystem")
        .isNotZero();
    runtime.removePodSandbox(sid);
  }

  @Test
  void imagesAreListedWithTheirSizeAndTheImageFilesystemHasACapacity() {
    var images = runtime.imageService().orElseThrow();
    assertThat(images.listImages())
        .anySatisfy(
            i -> {
              assertThat(i.repoTags()).contains(TestImages.BUSYBOX);
              assertThat(i.sizeBytes()).isPositive();
            });
    assertThat(images.imageStatus("example.invalid/nothing:here")).isEmpty();
    assertThat(images.imageFsUsage().capacityBytes()).isPositive();
    assertThat(runtime.version().nodeInfoForm()).startsWith("containerd://");
  }

  private static ContainerConfig withSecurity(
      ContainerConfig c, ContainerConfig.SecurityContext s) {
    return new ContainerConfig(
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
        s);
  }

  private static ContainerConfig busybox(
      String name, int attempt, String script, List<ContainerConfig.Mount> mounts) {
    return new ContainerConfig(
        name,
        attempt,
        TestImages.BUSYBOX,
        List.of("sh", "-c"),
        List.of(script),
        "",
        Map.of("GREETING", "hi"),
        Map.of(ContainerConfig.CONTAINER_NAME_LABEL, name),
        Map.of(),
        mounts,
        name + "/" + attempt + ".log",
        new ContainerConfig.Resources(100, 500, 64L << 20),
        null);
  }
}
