package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.flotilla.node.runtime.ContainerConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a pod spec's container into the runtime's {@link ContainerConfig}: env resolved, command
 * and args expanded against it, volumeMounts mapped to the volumes' host paths (subPath resolved),
 * the log path {@code <name>/<attempt>.log} as kubelet lays it out, resources and security context
 * basics.
 */
public final class ContainerConfigs {
  /**
   * Annotation on a container config whose container asked for {@code stdin: true}: runtimes keep
   * its stdin open for attach.
   */
  public static final String STDIN_ANNOTATION = "io.flotilla.container.stdin";

  private ContainerConfigs() {}

  /** What the pod's containers share when one is built. */
  public record PodContext(
      Pod pod,
      ObjectSource objects,
      FieldPaths.PodAddresses addresses,
      Map<String, Quantity> allocatable,
      Map<String, Path> volumes) {}

  public static ContainerConfig build(
      PodContext ctx, Container c, int attempt, Map<String, String> labels) {
    Map<String, String> env =
        ContainerEnv.resolve(ctx.pod(), c, ctx.objects(), ctx.addresses(), ctx.allocatable());
    List<String> command = expand(c.getCommand(), env);
    List<String> args = expand(c.getArgs(), env);
    List<ContainerConfig.Mount> mounts = new ArrayList<>();
    if (c.getVolumeMounts() != null) {
      for (VolumeMount m : c.getVolumeMounts()) {
        Path host = ctx.volumes().get(m.getName());
        if (host == null) {
          throw new ConfigError("volumeMount \"" + m.getName() + "\" names no volume of the pod");
        }
        String sub = m.getSubPath();
        if (m.getSubPathExpr() != null && !m.getSubPathExpr().isEmpty()) {
          sub = Expansion.expand(m.getSubPathExpr(), env);
        }
        if (sub != null && !sub.isEmpty()) {
          Path p = host.resolve(sub).normalize();
          if (!p.startsWith(host)) {
            throw new ConfigError("subPath \"" + sub + "\" leaves volume " + m.getName());
          }
          try {
            // kubelet bind-mounts the file itself: it does not follow ConfigMap updates.
            host = java.nio.file.Files.exists(p) ? p.toRealPath() : p;
          } catch (IOException e) {
            throw new ConfigError("subPath \"" + sub + "\": " + e.getMessage());
          }
        }
        boolean ro = Boolean.TRUE.equals(m.getReadOnly()) || readOnlyByKind(ctx.pod(), m.getName());
        mounts.add(new ContainerConfig.Mount(m.getMountPath(), host.toString(), ro));
      }
    }
    return new ContainerConfig(
        c.getName(),
        attempt,
        c.getImage(),
        command,
        args,
        c.getWorkingDir(),
        env,
        labels,
        Boolean.TRUE.equals(c.getStdin()) ? Map.of(STDIN_ANNOTATION, "true") : Map.of(),
        mounts,
        c.getName() + "/" + attempt + ".log",
        resources(c),
        security(ctx.pod(), c),
        Boolean.TRUE.equals(c.getStdin()),
        Boolean.TRUE.equals(c.getStdinOnce()),
        Boolean.TRUE.equals(c.getTty()));
  }

  private static List<String> expand(List<String> in, Map<String, String> env) {
    if (in == null) {
      return List.of();
    }
    return in.stream().map(s -> Expansion.expand(s, env)).toList();
  }

  private static boolean readOnlyByKind(Pod pod, String volume) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(volume))
        .anyMatch(
            v ->
                v.getConfigMap() != null
                    || v.getSecret() != null
                    || v.getDownwardAPI() != null
                    || v.getProjected() != null
                    || (v.getPersistentVolumeClaim() != null
                        && Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())));
  }

  private static ContainerConfig.Resources resources(Container c) {
    if (c.getResources() == null) {
      return ContainerConfig.Resources.NONE;
    }
    Map<String, Quantity> req = c.getResources().getRequests();
    Map<String, Quantity> lim = c.getResources().getLimits();
    return new ContainerConfig.Resources(
        millis(req, "cpu"), millis(lim, "cpu"), bytes(lim, "memory"));
  }

  private static long millis(Map<String, Quantity> m, String k) {
    Quantity q = m == null ? null : m.get(k);
    return q == null ? 0 : q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).longValue();
  }

  private static long bytes(Map<String, Quantity> m, String k) {
    Quantity q = m == null ? null : m.get(k);
    return q == null ? 0 : q.getNumericalAmount().longValue();
  }

  private static ContainerConfig.SecurityContext security(Pod pod, Container c) {
    var psc = pod.getSpec().getSecurityContext();
    var sc = c.getSecurityContext();
    Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : null;
    Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : null;
    if (user == null && psc != null) {
      user = psc.getRunAsUser();
    }
    if (group == null && psc != null) {
      group = psc.getRunAsGroup();
    }
    boolean nonRoot =
        (sc != null && Boolean.TRUE.equals(sc.getRunAsNonRoot()))
            || (psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot()));
    if (nonRoot && user != null && user == 0) {
      // kubelet's verifyRunAsNonRoot; with runAsUser unset only the runtime knows the image's user.
      throw new ConfigError(
          "container's runAsUser breaks non-root policy (pod: \""
              + pod.getMetadata().getName()
              + "_"
              + pod.getMetadata().getNamespace()
              + "("
              + pod.getMetadata().getUid()
              + ")\", container: "
              + c.getName()
              + ")");
    }
    List<String> add = List.of();
    List<String> drop = List.of();
    if (sc != null && sc.getCapabilities() != null) {
      add = sc.getCapabilities().getAdd() == null ? List.of() : sc.getCapabilities().getAdd();
      drop = sc.getCapabilities().getDrop() == null ? List.of() : sc.getCapabilities().getDrop();
    }
    return new ContainerConfig.SecurityContext(
        user,
        group,
        sc != null && Boolean.TRUE.equals(sc.getPrivileged()),
        sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
        add,
        drop,
        nonRoot,
        sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()));
  }
}
