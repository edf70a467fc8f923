package io.flotilla.node.runtime.cri;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.NodeAgent;
import io.flotilla.node.image.ImageGarbageCollector;
import io.flotilla.node.image.NodeImages;
import io.flotilla.node.runtime.ImageService;
import io.flotilla.node.runtime.cri.v1.PodSandbox;
import io.flotilla.node.runtime.cri.v1.PodSandboxFilter;
import io.flotilla.node.runtime.process.HostNode;
import io.flotilla.node.server.KubeletServer;
import io.flotilla.node.server.StatsRoute;
import io.flotilla.node.stats.NodePressure;
import io.flotilla.node.stats.ProcHost;
import io.flotilla.node.stats.SummaryProvider;
import io.flotilla.node.storage.LocalPathSweep;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This machine as one node whose pods run in containerd: one {@link NodeAgent} over one {@link
 * CriRuntime}, plus kubelet's image housekeeping (image garbage collection every 5 min, the node's
 * {@code status.images} every minute). The entry point for {@code flotilla agent --runtime cri}:
 *
 * <pre>{@code
 * try (CriClient cri = CriClient.connect(socket);
 *     CriAgent agent = CriAgent.start(client, cri, CriAgent.Options.of("node-a", "10.0.0.5",
 *         dataDir, cniSetup))) { ... }
 * }</pre>
 *
 * <p>At start it removes the sandboxes a previous agent left in containerd (those carrying
 * kubelet's pod labels); the pods bound to the node then start afresh, as with the process runtime.
 * On close the containers keep running (containerd owns them); {@link #removeAllSandboxes} removes
 * them, which whoever stops containerd should call first.
 *
 * <p>Threading: {@link #start} blocks until the node is registered; one timer thread runs the image
 * housekeeping; {@link #close} is idempotent. The client and the CRI client stay the caller's.
 */
public final class CriAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CriAgent.class);

  /** The pod CIDR the node claims when the control plane has not given one. */
  public static final String DEFAULT_POD_CIDR = "10.244.0.0/24";

  private final NodeAgent agent;
  private final CriRuntime runtime;
  private final ScheduledThreadPoolExecutor timer;
  private final KubeletServer server;
  private final LocalPathSweep sweep;
  private final SummaryProvider summary;
  private boolean closed;

  /**
   * How the node is set up.
   *
   * @param nodeName the Node's name
   * @param nodeIp its InternalIP
   * @param dataDir pod volumes and logs ({@code DATA/pods}, {@code DATA/logs})
   * @param podCidr the CIDR to claim when the Node has none yet
   * @param cni where the bridge conflist is written (null: the CNI config is someone else's)
   * @param sandboxImage kept by image GC (containerd's sandbox_image)
   * @param agentOptions the agent's pacing (a missing data dir becomes {@code dataDir})
   * @param kubelet the kubelet API server's options (null: none served)
   */
  public record Options(
      String nodeName,
      String nodeIp,
      Path dataDir,
      String podCidr,
      CriRuntime.CniSetup cni,
      String sandboxImage,
      AgentOptions agentOptions,
      KubeletServer.Options kubelet) {
    /** Defaults: pod CIDR 10.244.0.0/24, the project's pause image, kubelet's pacing. */
    public static Options of(
        String nodeName, String nodeIp, Path dataDir, CriRuntime.CniSetup cni) {
      return new Options(
          nodeName,
          nodeIp,
          dataDir,
          DEFAULT_POD_CIDR,
          cni,
          ContainerdConfig.DEFAULT_SANDBOX_IMAGE,
          AgentOptions.defaults(),
          null);
    }

    public Options withPodCidr(String cidr) {
      return new Options(nodeName, nodeIp, dataDir, cidr, cni, sandboxImage, agentOptions, kubelet);
    }

    public Options withAgentOptions(AgentOptions o) {
      return new Options(nodeName, nodeIp, dataDir, podCidr, cni, sandboxImage, o, kubelet);
    }

    /** Also serve the kubelet API (logs, exec, attach, port-forward) with these options. */
    public Options withKubelet(KubeletServer.Options k) {
      return new Options(nodeName, nodeIp, dataDir, podCidr, cni, sandboxImage, agentOptions, k);
    }
  }

  private CriAgent(
      NodeAgent agent,
      CriRuntime runtime,
      ScheduledThreadPoolExecutor timer,
      KubeletServer server,
      LocalPathSweep sweep,
      SummaryProvider summary) {
    this.agent = agent;
    this.runtime = runtime;
    this.timer = timer;
    this.server = server;
    this.sweep = sweep;
    this.summary = summary;
  }

  /** The CNI setup for a containerd the project started itself ({@link ContainerdConfig}). */
  public static CriRuntime.CniSetup cniFor(ContainerdConfig config) {
    return new CriRuntime.CniSetup(
        config.cniConfDir(), "flotilla", "flotilla0", config.dir().resolve("cni/ipam"));
  }

  /** Registers the node and serves its pods through containerd. */
  public static CriAgent start(KubernetesClient client, CriClient cri, Options o) {
    AgentOptions ao =
        o.agentOptions().dataDir() == null
            ? o.agentOptions().withDataDir(o.dataDir())
            : o.agentOptions();
    CriRuntime rt = new CriRuntime(cri, o.cni());
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("flotilla-images").factory());
    // Node figures from /proc and the data dir's file system, images' from containerd.
    SummaryProvider summary =
        new SummaryProvider(
                o.nodeName(),
                ao.clock(),
                new ProcHost(Path.of("/proc"), o.dataDir(), rt::imageFs),
                rt)
            .start(SummaryProvider.DEFAULT_PERIOD);
    KubeletServer server = null;
    NodeAgent[] started = new NodeAgent[1];
    try {
      removeAllSandboxes(cri);
      String version = rt.version().nodeInfoForm();
      int port = 10250;
      if (o.kubelet() != null) {
        server =
            KubeletServer.start(
                o.kubelet(),
                (ns, name) -> started[0] == null ? null : started[0].locate(ns, name),
                ao.clock());
        port = server.port();
        server.route("stats", new StatsRoute(summary::summaryJson));
      }
      NodeAgent agent =
          NodeAgent.start(
              client,
              List.of(
                  HostNode.template(
                      o.nodeName(),
                      o.nodeIp(),
                      o.podCidr(),
                      o.dataDir(),
                      110,
                      ao.clock().instant(),
                      version,
                      port)),
              name -> rt,
              ao,
              name -> summary.pressure(NodePressure.Thresholds.KUBELET_DEFAULTS));
      started[0] = agent;
      ImageService images = rt.imageService().orElseThrow();
      NodeImages nodeImages = new NodeImages(client, o.nodeName(), images);
      ImageGarbageCollector gc =
          ImageGarbageCollector.withDefaults(
              images, rt::imagesInUse, Set.of(o.sandboxImage()), ao.clock());
      timer.scheduleWithFixedDelay(
          () -> quietly("reporting node images", () -> nodeImages.report()),
          0,
          60,
          TimeUnit.SECONDS);
      long gcSeconds = ImageGarbageCollector.PERIOD.toSeconds();
      timer.scheduleWithFixedDelay(
          () -> quietly("image garbage collection", () -> gc.collect()),
          gcSeconds,
          gcSeconds,
          TimeUnit.SECONDS);
      return new CriAgent(
          agent,
          rt,
          timer,
          server,
          LocalPathSweep.start(client, LocalPathSweep.storageDir(o.dataDir())),
          summary);
    } catch (RuntimeException e) {
      timer.shutdownNow();
      summary.close();
      if (server != null) {
        server.close();
      }
      rt.close();
      throw e;
    }
  }

  /**
   * Stops and removes every pod sandbox (and so its containers) in containerd's k8s.io namespace.
   */
  public static void removeAllSandboxes(CriClient cri) {
    removeSandboxes(cri, uid -> true);
  }

  /** Stops and removes the sandboxes of the pods whose uid {@code podUid} accepts. */
  public static void removeSandboxes(CriClient cri, Predicate<String> podUid) {
    for (PodSandbox s : cri.listPodSandbox(PodSandboxFilter.getDefaultInstance())) {
      String uid = s.getLabelsMap().get(CriConfigs.POD_UID_LABEL);
      if (uid == null || !podUid.test(uid)) {
        continue;
      }
      try {
        cri.stopPodSandbox(s.getId());
        cri.removePodSandbox(s.getId());
      } catch (CriException e) {
        if (!e.isNotFound()) {
          LOG.warn("could not remove sandbox {}: {}", s.getId(), e.getMessage());
        }
      }
    }
  }

  public NodeAgent agent() {
    return agent;
  }

  public CriRuntime runtime() {
    return runtime;
  }

  /** The kubelet API server, or null when the agent serves none. */
  public KubeletServer kubeletServer() {
    return server;
  }

  private static void quietly(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed: {}", what, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    sweep.close();
    summary.close();
    if (server != null) {
      server.close();
    }
    agent.close();
    runtime.close();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
