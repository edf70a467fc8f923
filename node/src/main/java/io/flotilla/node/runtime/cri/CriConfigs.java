package io.flotilla.node.runtime.cri;

import com.google.protobuf.ByteString;
import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerConfigException;
import io.flotilla.node.runtime.ImageService;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.Capability;
import io.flotilla.node.runtime.cri.v1.ContainerMetadata;
import io.flotilla.node.runtime.cri.v1.ImageSpec;
import io.flotilla.node.runtime.cri.v1.Int64Value;
import io.flotilla.node.runtime.cri.v1.KeyValue;
import io.flotilla.node.runtime.cri.v1.LinuxContainerConfig;
import io.flotilla.node.runtime.cri.v1.LinuxContainerResources;
import io.flotilla.node.runtime.cri.v1.LinuxContainerSecurityContext;
import io.flotilla.node.runtime.cri.v1.LinuxPodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.LinuxSandboxSecurityContext;
import io.flotilla.node.runtime.cri.v1.Mount;
import io.flotilla.node.runtime.cri.v1.NamespaceMode;
import io.flotilla.node.runtime.cri.v1.NamespaceOption;
import io.flotilla.node.runtime.cri.v1.PodSandboxMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates the Runtime SPI's configs into CRI messages as kubelet's kuberuntime does: the pod
 * identity labels ({@code io.kubernetes.pod.*}) on sandboxes and containers, pod-scoped namespaces,
 * CPU shares from requests, CFS quota from limits, memory limit, an OOM score by QoS, and the
 * security context basics. Stateless.
 */
final class CriConfigs {
  static final String POD_NAME_LABEL = "io.kubernetes.pod.name";
  static final String POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
  static final String POD_UID_LABEL = "io.kubernetes.pod.uid";

  /** kubelet's CFS period (100 ms) and the smallest values it passes. */
  static final long CPU_PERIOD = 100_000;

  static final long MIN_SHARES = 2;
  static final long MIN_QUOTA = 1_000;

  /** kubelet's OOM score adjustments for Guaranteed and BestEffort pods. */
  static final int GUARANTEED_OOM_SCORE_ADJ = -997;

  static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

  private CriConfigs() {}

  static io.flotilla.node.runtime.cri.v1.PodSandboxConfig sandbox(PodSandboxConfig c) {
    var b =
        io.flotilla.node.runtime.cri.v1.PodSandboxConfig.newBuilder()
            .setMetadata(
                PodSandboxMetadata.newBuilder()
                    .setName(c.name())
                    .setNamespace(c.namespace())
                    .setUid(c.uid())
                    .setAttempt(c.attempt()))
            .setHostname(c.hostname())
            .setLogDirectory(c.logDirectory())
            .putAllLabels(c.labels())
            .putAllLabels(podLabels(c))
            .putAllAnnotations(c.annotations())
            .setLinux(
                LinuxPodSandboxConfig.newBuilder()
                    .setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder()
                            .setNamespaceOptions(podNamespaces())));
    return b.build();
  }

  static Map<String, String> podLabels(PodSandboxConfig c) {
    return Map.of(
        POD_NAME_LABEL, c.name(), POD_NAMESPACE_LABEL, c.namespace(), POD_UID_LABEL, c.uid());
  }

  /**
   * The CRI container config. {@code image} is what the runtime knows of the image (its user), or
   * null when it could not say; needed only for the runAsNonRoot check.
   *
   * @throws ContainerConfigException when runAsNonRoot cannot be honoured
   */
  static io.flotilla.node.runtime.cri.v1.ContainerConfig container(
      ContainerConfig c, PodSandboxConfig sandbox, ImageService.Image image) {
    verifyRunAsNonRoot(c, sandbox, image);
    Map<String, String> labels = new HashMap<>(c.labels());
    labels.putAll(podLabels(sandbox));
    labels.putIfAbsent(ContainerConfig.CONTAINER_NAME_LABEL, c.name());
    var b =
        io.flotilla.node.runtime.cri.v1.ContainerConfig.newBuilder()
            .setMetadata(ContainerMetadata.newBuilder().setName(c.name()).setAttempt(c.attempt()))
            .setImage(ImageSpec.newBuilder().setImage(c.image()))
            .addAllCommand(c.command())
            .addAllArgs(c.args())
            .setWorkingDir(c.workingDir())
            .putAllLabels(labels)
            .putAllAnnotations(c.annotations())
            .setLogPath(c.logPath())
            .setStdin(c.stdin())
            .setStdinOnce(c.stdinOnce())
            .setTty(c.tty())
            .setLinux(
                LinuxContainerConfig.newBuilder()
                    .setResources(resources(c.resources()))
                    .setSecurityContext(security(c.securityContext())));
    // Sorted, so that a container's environment does not depend on map order.
    new TreeMap<>(c.env())
        .forEach(
            (k, v) ->
                b.addEnvs(KeyValue.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8(v))));
    for (ContainerConfig.Mount m : c.mounts()) {
      b.addMounts(
          Mount.newBuilder()
              .setContainerPath(m.containerPath())
              .setHostPath(m.hostPath())
              .setReadonly(m.readOnly()));
    }
    return b.build();
  }

  /**
   * kubelet's resources: shares = request millicores × 1024 / 1000 (at least 2; a limit stands in
   * for a missing request), quota = limit × period / 1000 (at least 1 ms), the memory limit, and an
   * OOM score by QoS class. The SPI carries no memory request, so a Burstable container gets 999
   * (kubelet scales it by request/capacity into 2..999); containerd clamps every score to its own
   * under restrict_oom_score_adj anyway.
   */
  static LinuxContainerResources resources(ContainerConfig.Resources r) {
    long request = r.cpuRequestMillis() > 0 ? r.cpuRequestMillis() : r.cpuLimitMillis();
    long shares = Math.max(MIN_SHARES, request * 1024 / 1000);
    var b = LinuxContainerResources.newBuilder().setCpuShares(shares);
    if (r.cpuLimitMillis() > 0) {
      b.setCpuPeriod(CPU_PERIOD)
          .setCpuQuota(Math.max(MIN_QUOTA, r.cpuLimitMillis() * CPU_PERIOD / 1000));
    }
    if (r.memoryLimitBytes() > 0) {
      b.setMemoryLimitInBytes(r.memoryLimitBytes());
    }
    b.setOomScoreAdj(oomScoreAdj(r));
    return b.build();
  }

  static int oomScoreAdj(ContainerConfig.Resources r) {
    if (r.cpuRequestMillis() == 0 && r.cpuLimitMillis() == 0 && r.memoryLimitBytes() == 0) {
      return BEST_EFFORT_OOM_SCORE_ADJ;
    }
    boolean guaranteed =
        r.cpuLimitMillis() > 0
            && r.memoryLimitBytes() > 0
            && (r.cpuRequestMillis() == 0 || r.cpuRequestMillis() == r.cpuLimitMillis());
    return guaranteed ? GUARANTEED_OOM_SCORE_ADJ : 999;
  }

  static LinuxContainerSecurityContext security(ContainerConfig.SecurityContext s) {
    var b =
        LinuxContainerSecurityContext.newBuilder()
            .setPrivileged(s.privileged())
            .setReadonlyRootfs(s.readOnlyRootFilesystem())
            .setNoNewPrivs(s.noNewPrivs() && !s.privileged())
            .setNamespaceOptions(podNamespaces())
            .setCapabilities(
                Capability.newBuilder()
                    .addAllAddCapabilities(s.addCapabilities())
                    .addAllDropCapabilities(s.dropCapabilities()));
    if (s.runAsUser() != null) {
      b.setRunAsUser(Int64Value.newBuilder().setValue(s.runAsUser()));
    }
    if (s.runAsGroup() != null) {
      b.setRunAsGroup(Int64Value.newBuilder().setValue(s.runAsGroup()));
    }
    return b.build();
  }

  /**
   * kubelet's verifyRunAsNonRoot for a container without runAsUser: the image's numeric user must
   * not be 0; an image with no user runs as root; a non-numeric user cannot be verified.
   */
  static void verifyRunAsNonRoot(
      ContainerConfig c, PodSandboxConfig sandbox, ImageService.Image image) {
    ContainerConfig.SecurityContext s = c.securityContext();
    if (!s.runAsNonRoot()) {
      return;
    }
    String where =
        " (pod: \""
            + sandbox.name()
            + "_"
            + sandbox.namespace()
            + "("
            + sandbox.uid()
            + ")\", container: "
            + c.name()
            + ")";
    if (s.runAsUser() != null) {
      if (s.runAsUser() == 0) {
        throw new ContainerConfigException("container's runAsUser breaks non-root policy" + where);
      }
      return;
    }
    Long uid = image == null ? null : image.uid();
    String username = image == null ? "" : image.username();
    if (uid == null && !username.isEmpty()) {
      throw new ContainerConfigException(
          "container has runAsNonRoot and image has non-numeric user ("
              + username
              + "), cannot verify user is non-root"
              + where);
    }
    if (uid == null || uid == 0) {
      throw new ContainerConfigException(
          "container has runAsNonRoot and image will run as root" + where);
    }
  }

  private static NamespaceOption podNamespaces() {
    // kubelet's defaults: the pod's network and IPC namespaces, a PID namespace per container
    // (POD only with shareProcessNamespace, which the SPI does not carry).
    return NamespaceOption.newBuilder()
        .setNetwork(NamespaceMode.POD)
        .setPid(NamespaceMode.CONTAINER)
        .setIpc(NamespaceMode.POD)
        .build();
  }
}
