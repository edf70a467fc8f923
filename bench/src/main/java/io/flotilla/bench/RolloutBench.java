package io.flotilla.bench;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.controllers.DefaultControllers;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.SystemClock;
import io.flotilla.node.runtime.simulated.SimulatedAgent;
import io.flotilla.node.runtime.simulated.SimulatedNodeOptions;
import io.flotilla.scheduler.client.SchedulerRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla bench rollout}: a Deployment's rolling update, end to end in one process as
 * {@code flotilla server} runs it: the API server, the scheduler and the controllers (leader
 * election off) as its fabric8 clients over loopback TLS, and the simulated node agent (module
 * node) as another client. The agent registers {@code --nodes} nodes; a Deployment of {@code
 * --replicas} replicas (RollingUpdate, upstream's default 25% surge and 25% unavailable) is created
 * and awaited until every replica is available; then its image changes and the clock runs until the
 * rollout is complete as {@code kubectl rollout status} sees it (observed generation, every replica
 * updated and available, no old replica left) and the old ReplicaSet is at 0.
 *
 * <p>Writes are counted by the API server ({@link WriteCounter}) from the image change until the
 * old pods are gone from the API too; {@code writes_per_pod} divides the writes of every resource
 * except {@code leases} and {@code nodes} (the agent's heartbeats, which run whether or not
 * anything rolls out) by the replicas replaced. Single-threaded apart from the clients' own
 * threads.
 *
 * <p>Exit codes: 0 when the rollout completed, 1 when it did not within {@code --timeout}, 2 for
 * bad options, 3 when the server cannot start.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Time to complete a Deployment's rolling update and API writes per replaced pod: an"
          + " in-process API server, scheduler and controllers, N simulated nodes."
    })
public final class RolloutBench extends BenchBase implements Callable<Integer> {
  static final String NAMESPACE = "default";
  static final String NAME = "bench-rollout";
  private static final Map<String, Boolean> BACKGROUND = Map.of("leases", true, "nodes", true);

  @Option(
      names = "--nodes",
      defaultValue = "500",
      description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--replicas",
      defaultValue = "1000",
      description = "Replicas of the Deployment (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--timeout",
      defaultValue = "1800",
      paramLabel = "SECONDS",
      description = "Give up on each phase after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  public RolloutBench() {
    this(Clock.systemUTC(), System.out, System.err);
  }

  RolloutBench(Clock clock, PrintStream out, PrintStream err) {
    super(clock, out, err);
  }

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || replicas < 1 || timeoutSeconds < 1) {
      err.println("flotilla bench rollout: --nodes, --replicas and --timeout must be at least 1");
      return 2;
    }
    BenchApiServer server;
    try {
      server = BenchApiServer.start(clock);
    } catch (IOException | RuntimeException e) {
      err.println("flotilla bench rollout: cannot start the API server: " + e.getMessage());
      return 3;
    }
    Path kubeconfig = Files.createTempFile("flotilla-bench-rollout", ".kubeconfig");
    RolloutBenchReport report;
    try (server) {
      server.writeKubeconfig(kubeconfig);
      report = measure(server, kubeconfig);
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
    out.print(json ? report.json() + System.lineSeparator() : report.human());
    out.flush();
    return report.completed() ? 0 : 1;
  }

  private RolloutBenchReport measure(BenchApiServer server, Path kubeconfig) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    WriteCounter writes = new WriteCounter(server.metrics());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient schedulerClient =
            new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient controllersClient =
            new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient agentClient = new KubernetesClientBuilder().withConfig(config).build()) {
      err.printf("registering %d simulated nodes%n", nodes);
      SimulatedAgent agent =
          SimulatedAgent.start(
              agentClient,
              SimulatedNodeOptions.defaults()
                  .withNodes(nodes)
                  .withNamePrefix("node-")
                  .withCapacity("32", "256Gi", 110)
                  .withClusterCidr("10.0.0.0/8", 24));
      SchedulerRunner.Options o =
          SchedulerRunner.Options.defaults("bench-scheduler").withLeaderElect(false);
      try (agent;
          SchedulerRunner scheduler = SchedulerRunner.start(schedulerClient, o, clock);
          SystemClock controllerClock = new SystemClock();
          ControllerManager controllers =
              DefaultControllers.addTo(
                      ControllerManager.builder(controllersClient)
                          .clock(controllerClock)
                          .leaderElection(false))
                  .build()) {
        controllers.start();
        err.printf("creating Deployment %s with %d replicas%n", NAME, replicas);
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment()).create();
        if (!await("initial rollout", client, () -> complete(client))) {
          return RolloutBenchReport.incomplete(nodes, replicas, peakRssMb());
        }
        PodCounts counts = PodCounts.watch(client, NAMESPACE, "app", NAME);
        Map<String, Long> before = writes.byResource();
        err.println("changing the image");
        long start = System.nanoTime();
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName(NAME)
            .edit(
                d -> {
                  d.getSpec()
                      .getTemplate()
                      .getSpec()
                      .getContainers()
                      .getFirst()
                      .setImage("registry.k8s.io/pause:3.9");
                  return d;
                });
        if (!await(
            "rolling update", client, () -> complete(client) && oldReplicaSetsAtZero(client))) {
          return RolloutBenchReport.incomplete(nodes, replicas, peakRssMb());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf("rollout complete after %.1f s; waiting for the old pods to leave%n", seconds);
        await("old pods gone", client, () -> podCount(client) == replicas);
        counts.close();
        Map<String, Long> counted = WriteCounter.difference(before, writes.byResource());
        long rolloutWrites =
            counted.entrySet().stream()
                .filter(e -> !BACKGROUND.containsKey(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return new RolloutBenchReport(
            nodes,
            replicas,
            true,
            seconds,
            rolloutWrites,
            counted,
            counts.maxActive(),
            counts.minAvailable(),
            peakRssMb());
      }
    }
  }

  private boolean await(String phase, KubernetesClient client, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long nextReport = 0;
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() >= nextReport) {
        DeploymentStatus s = status(client);
        err.printf(
            "%s: replicas %d updated %d available %d (of %d), pods %d%n",
            phase,
            n(s.getReplicas()),
            n(s.getUpdatedReplicas()),
            n(s.getAvailableReplicas()),
            replicas,
            podCount(client));
        nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
      Thread.sleep(200); // a measurement's polling, not a test
    }
    err.printf("%s: not done after %d s%n", phase, timeoutSeconds);
    return false;
  }

  /** The rollout is complete as {@code kubectl rollout status} decides it. */
  private boolean complete(KubernetesClient client) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    if (d == null || d.getStatus() == null) {
      return false;
    }
    DeploymentStatus s = d.getStatus();
    return Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && n(s.getUpdatedReplicas()) == replicas
        && n(s.getReplicas()) == replicas
        && n(s.getAvailableReplicas()) == replicas;
  }

  private boolean oldReplicaSetsAtZero(KubernetesClient client) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    String revision = d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
    for (ReplicaSet rs :
        client
            .apps()
            .replicaSets()
            .inNamespace(NAMESPACE)
            .withLabel("app", NAME)
            .list()
            .getItems()) {
      boolean current =
          Objects.equals(
              revision, rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
      if (!current
          && (n(rs.getSpec().getReplicas()) != 0
              || rs.getStatus() == null
              || n(rs.getStatus().getReplicas()) != 0)) {
        return false;
      }
    }
    return true;
  }

  private DeploymentStatus status(KubernetesClient client) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    return d == null || d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
  }

  private static int podCount(KubernetesClient client) {
    return client.pods().inNamespace(NAMESPACE).withLabel("app", NAME).list().getItems().size();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static double peakRssMb() {
    return ProcessMemory.rssBytes() / (1024.0 * 1024.0);
  }

  private Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(NAME)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", NAME)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", NAME)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("registry.k8s.io/pause:3.10")
        .withNewResources()
        .addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("16Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
