package io.flotilla.node.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a container is created from (CRI ContainerConfig). {@code attempt} is the restart count this
 * container will report. {@code command} and {@code args} are already expanded ({@code $(VAR)}
 * resolved by the agent) and {@code env} is the final environment; {@code mounts} name host
 * directories or files the agent prepared; {@code logPath} is relative to the sandbox's log
 * directory, as in CRI. Labels carry the kubelet-style identity ({@link #CONTAINER_NAME_LABEL},
 * {@link #CONTAINER_TYPE_LABEL}). {@code stdin}, {@code stdinOnce} and {@code tty} are the spec's
 * (CRI's), for attach.
 */
public record ContainerConfig(
    String name,
    int attempt,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    Map<String, String> env,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<Mount> mounts,
    String logPath,
    Resources resources,
    SecurityContext securityContext,
    boolean stdin,
    boolean stdinOnce,
    boolean tty) {

  /** Label with the container's name in the pod spec, as kubelet sets it. */
  public static final String CONTAINER_NAME_LABEL = "io.kubernetes.container.name";

  /** Label saying whether the container is an {@code init} or an {@code app} container. */
  public static final String CONTAINER_TYPE_LABEL = "io.flotilla.container.type";

  public ContainerConfig {
    command = List.copyOf(command);
    args = List.copyOf(args);
    workingDir = workingDir == null ? "" : workingDir;
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    mounts = List.copyOf(mounts);
    logPath = logPath == null ? "" : logPath;
    resources = resources == null ? Resources.NONE : resources;
    securityContext = securityContext == null ? SecurityContext.NONE : securityContext;
  }

  /** Without stdin or a TTY. */
  public ContainerConfig(
      String name,
      int attempt,
      String image,
      List<String> command,
      List<String> args,
      String workingDir,
      Map<String, String> env,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<Mount> mounts,
      String logPath,
      Resources resources,
      SecurityContext securityContext) {
    this(
        name,
        attempt,
        image,
        command,
        args,
        workingDir,
        env,
        labels,
        annotations,
        mounts,
        logPath,
        resources,
        securityContext,
        false,
        false,
        false);
  }

  /** The reduced form runtimes that run nothing (simulated) are given. */
  public ContainerConfig(
      String name,
      int attempt,
      String image,
      List<String> command,
      List<String> args,
      String workingDir,
      Map<String, String> env,
      Map<String, String> labels,
      Map<String, String> annotations) {
    this(
        name,
        attempt,
        image,
        command,
        args,
        workingDir,
        env,
        labels,
        annotations,
        List.of(),
        "",
        Resources.NONE,
        SecurityContext.NONE);
  }

  /** Whether the labels mark this an init container. */
  public boolean isInit() {
    return "init".equals(labels.get(CONTAINER_TYPE_LABEL));
  }

  /** CRI Mount: a host path made visible at {@code containerPath}. */
  public record Mount(String containerPath, String hostPath, boolean readOnly) {}

  /**
   * CRI LinuxContainerResources, reduced: CPU in millicores (0: unset), memory limit in bytes (0:
   * unset).
   */
  public record Resources(long cpuRequestMillis, long cpuLimitMillis, long memoryLimitBytes) {
    public static final Resources NONE = new Resources(0, 0, 0);
  }

  /**
   * CRI LinuxContainerSecurityContext basics; null user/group means the image's (for the process
   * runtime: the agent's own). {@code runAsNonRoot} asks the runtime to refuse a container whose
   * user would be root: with {@code runAsUser} unset only the runtime knows the image's user, so it
   * checks and throws {@link ContainerConfigException} (kubelet's verifyRunAsNonRoot). {@code
   * noNewPrivs} is the effective {@code !allowPrivilegeEscalation}.
   */
  public record SecurityContext(
      Long runAsUser,
      Long runAsGroup,
      boolean privileged,
      boolean readOnlyRootFilesystem,
      List<String> addCapabilities,
      List<String> dropCapabilities,
      boolean runAsNonRoot,
      boolean noNewPrivs) {
    public static final SecurityContext NONE =
        new SecurityContext(null, null, false, false, List.of(), List.of());

    public SecurityContext {
      addCapabilities = List.copyOf(addCapabilities);
      dropCapabilities = List.copyOf(dropCapabilities);
    }

    /** Without the runAsNonRoot check and with privilege escalation allowed. */
    public SecurityContext(
        Long runAsUser,
        Long runAsGroup,
        boolean privileged,
        boolean readOnlyRootFilesystem,
        List<String> addCapabilities,
        List<String> dropCapabilities) {
      this(
          runAsUser,
          runAsGroup,
          privileged,
          readOnlyRootFilesystem,
          addCapabilities,
          dropCapabilities,
          false,
          false);
    }
  }
}
