package io.flotilla.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.flotilla.node.runtime.cri.CriAgent;
import io.flotilla.node.runtime.cri.CriRuntime;
import io.flotilla.node.runtime.cri.LocalContainerd;
import io.flotilla.node.runtime.cri.LocalImages;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla bench pods}: pod startup on one real node. An in-process API server (as {@code
 * bench api} starts it), containerd (the one on {@code --containerd-socket} when given, else one
 * started for the run under /tmp with its own bridge {@code flt-bench0} on 10.251.0.0/24), the
 * pause and busybox images built from this machine's Debian packages and imported ({@link
 * LocalImages}: no registry), and the cri node agent as a client of the API server. {@code --count}
 * busybox pods ({@code sleep 3600}, imagePullPolicy IfNotPresent, {@code spec.nodeName} set: no
 * scheduler) are created one after another, each once the one before it runs (kubelet's node
 * density "sequence" test: the figure is a pod's startup latency, not a queue), or with {@code
 * --interval-ms} apart whatever has started (an open-loop load: above what the node can start per
 * second the figure is mostly queueing). A watch times each pod from its create request to the
 * first status with phase Running.
 *
 * <p>Exit codes: 0 when every pod ran, 1 when some did not in time, 2 for bad options, 3 when the
 * server, containerd or the images cannot be set up.
 */
@Command(
    name = "pods",
    mixinStandardHelpOptions = true,
    description = {
      "Pod create-to-Running latency on one node with containerd: busybox pods created through"
          + " an in-process API server and run by the cri node agent."
    })
public final class PodsBench extends BenchBase implements Callable<Integer> {
  static final String NAMESPACE = "default";
  static final String NODE = "bench-node";
  private static final String WARMUP_PREFIX = "bench-warmup-";

  @Option(names = "--count", defaultValue = "50", description = "Pods (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--interval-ms",
      defaultValue = "-1",
      paramLabel = "MS",
      description =
          "Create a pod every MS ms whether or not the earlier ones run (0: all at once). Without"
              + " it each pod is created once the one before it is Running.")
  int intervalMs;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description =
          "Pods started first and left running, not measured: they warm the JVM and containerd,"
              + " like the background pods of kubelet's density test (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--containerd-socket",
      paramLabel = "SOCKET",
      description =
          "Use the containerd on this socket (its CNI config must exist) instead of starting one.")
  Path socket;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      paramLabel = "SECONDS",
      description = "Give up waiting for Running after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  public PodsBench() {
    this(Clock.systemUTC(), System.out, System.err);
  }

  PodsBench(Clock clock, PrintStream out, PrintStream err) {
    super(clock, out, err);
  }

  @Override
  public Integer call() throws Exception {
    if (count < 1 || intervalMs < -1 || warmup < 0 || timeoutSeconds < 1) {
      err.println(
          "flotilla bench pods: --count and --timeout must be at least 1, --interval-ms and"
              + " --warmup at least 0");
      return 2;
    }
    if (socket == null && !LocalContainerd.installed()) {
      err.println(
          "flotilla bench pods: containerd and runc are not installed (apt-get install -y"
              + " containerd runc containernetworking-plugins)");
      return 3;
    }
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "flotilla-bench-");
    BenchApiServer server = null;
    LocalContainerd containerd = null;
    Path kubeconfig = dir.resolve("admin.kubeconfig");
    try {
      server = BenchApiServer.start(clock);
      server.writeKubeconfig(kubeconfig);
      err.println("setting up containerd and the images");
      // A socket that does not exist makes LocalContainerd start its own under dir.
      containerd =
          LocalContainerd.connectOrStart(
              socket == null ? dir.resolve("none.sock") : socket,
              dir.resolve("containerd"),
              List.of(LocalImages.PAUSE, LocalImages.BUSYBOX));
    } catch (Exception e) {
      err.println("flotilla bench pods: cannot set up: " + e.getMessage());
      if (server != null) {
        server.close();
      }
      DataDirs.deleteTree(dir);
      return 3;
    }
    PodsBenchReport report;
    Set<String> uids = ConcurrentHashMap.newKeySet();
    try {
      report = measure(kubeconfig, containerd, dir, uids);
    } catch (IllegalStateException e) {
      err.println(
          "flotilla bench pods: "
              + e.getMessage()
              + "; check that containerd can start the busybox image (a longer --timeout helps on"
              + " a loaded machine)");
      return 1;
    } finally {
      // Only this run's sandboxes: a containerd given by --containerd-socket may hold others.
      CriAgent.removeSandboxes(containerd.client(), uids::contains);
      containerd.close();
      server.close();
      DataDirs.deleteTree(dir);
    }
    out.print(json ? report.json() + System.lineSeparator() : report.human());
    out.flush();
    return report.running() < count ? 1 : 0;
  }

  private PodsBenchReport measure(
      Path kubeconfig, LocalContainerd containerd, Path dir, Set<String> uids) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    try (KubernetesClient agentClient = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      CriRuntime.CniSetup cni =
          containerd.cni() == null
              ? null
              : new CriRuntime.CniSetup(
                  containerd.cni().confDir(),
                  "flotilla-bench",
                  "flt-bench0",
                  containerd.cni().ipamDataDir());
      try (CriAgent agent =
          CriAgent.start(
              agentClient,
              containerd.client(),
              CriAgent.Options.of(NODE, "127.0.0.1", dir.resolve("node"), cni)
                  .withPodCidr("10.251.0.0/24"))) {
        String version = agent.runtime().version().nodeInfoForm();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
        Histogram latency = new ConcurrentHistogram(3);
        Watch watch =
            client
                .pods()
                .inNamespace(NAMESPACE)
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, Pod p) {
                        long now = System.nanoTime();
                        String name = p.getMetadata().getName();
                        if (p.getStatus() == null
                            || !"Running".equals(p.getStatus().getPhase())
                            || !runningFuture(running, name).complete(null)) {
                          return;
                        }
                        Long sent = sentAt.get(name);
                        if (sent != null) {
                          latency.recordValue(Math.max(0, now - sent));
                        }
                      }

                      @Override
                      public void onClose(WatcherException cause) {
                        if (cause != null) {
                          err.println("pod watch closed: " + cause.getMessage());
                        }
                      }
                    });
        if (warmup > 0) {
          err.printf("warming up: %d pods%n", warmup);
        }
        for (int i = 0; i < warmup; i++) {
          String name = WARMUP_PREFIX + i;
          Pod created = client.pods().inNamespace(NAMESPACE).resource(pod(name)).create();
          uids.add(created.getMetadata().getUid());
          try {
            runningFuture(running, name).get(timeoutSeconds, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            throw new IllegalStateException(
                "warm-up pod " + name + " did not run within " + timeoutSeconds + " s", e);
          }
        }
        err.printf(
            "creating %d busybox pods, %s, on %s%n",
            count,
            intervalMs < 0 ? "each once the one before runs" : intervalMs + " ms apart",
            version);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
          String name = "bench-" + i;
          sentAt.put(name, System.nanoTime());
          Pod created = client.pods().inNamespace(NAMESPACE).resource(pod(name)).create();
          uids.add(created.getMetadata().getUid());
          if (intervalMs < 0) {
            try {
              runningFuture(running, name)
                  .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
              break;
            }
            if ((i + 1) % 10 == 0) {
              err.printf("running: %d/%d%n", i + 1, count);
            }
          } else if (intervalMs > 0) {
            Thread.sleep(intervalMs); // pacing the load, not waiting for a result
          }
        }
        int reported = -1;
        while (ran(running) < count && System.nanoTime() < deadline) {
          if (ran(running) != reported) {
            reported = ran(running);
            err.printf("running: %d/%d%n", reported, count);
          }
          Thread.sleep(100); // a measurement's polling, not a test
        }
        long elapsed = System.nanoTime() - start;
        watch.close();
        return new PodsBenchReport(
            count, intervalMs, ran(running), latency, elapsed / 1e9, version);
      }
    }
  }

  private static CompletableFuture<Void> runningFuture(
      Map<String, CompletableFuture<Void>> running, String name) {
    return running.computeIfAbsent(name, n -> new CompletableFuture<>());
  }

  private static int ran(Map<String, CompletableFuture<Void>> running) {
    return (int)
        running.entrySet().stream()
            .filter(e -> !e.getKey().startsWith(WARMUP_PREFIX) && e.getValue().isDone())
            .count();
  }

  static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", "bench-pods")
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withTerminationGracePeriodSeconds(0L)
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sleep", "3600")
        .endContainer()
        .endSpec()
        .build();
  }
}
