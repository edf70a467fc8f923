package io.flotilla.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.flotilla.node.runtime.simulated.SimulatedAgent;
import io.flotilla.node.runtime.simulated.SimulatedNodeOptions;
import io.flotilla.scheduler.client.SchedulerRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla bench scheduler}: the whole scheduling path in one process, as {@code flotilla
 * server} runs it: the API server (embedded store, watch cache, TLS, HTTP/2, client certificates)
 * and the scheduler as its fabric8 client over loopback, and the simulated node agent (module node)
 * as another client. The agent registers {@code --nodes} nodes (32 cpu, 256Gi, 110 pods), keeps
 * their Leases and moves bound pods to Running; then {@code --clients} clients create {@code
 * --pods} pods with small requests and a watch records when each is bound.
 *
 * <p>Exit codes: 0 when every pod was bound, 1 when some requests failed or pods stayed unbound, 2
 * for bad options, 3 when the server cannot start.
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = {
      "Pods scheduled per second and create-to-bound latency, through the API: an in-process"
          + " API server and scheduler, N nodes and P pods created by concurrent clients."
    })
public final class SchedulerBench extends BenchBase implements Callable<Integer> {
  static final String NAMESPACE = "default";

  @Option(
      names = "--nodes",
      defaultValue = "1000",
      description = "Nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--pods",
      defaultValue = "10000",
      description = "Pods (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--clients",
      defaultValue = "32",
      description = "Concurrent clients creating pods (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      paramLabel = "SECONDS",
      description = "Give up waiting for bindings after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  public SchedulerBench() {
    this(Clock.systemUTC(), System.out, System.err);
  }

  SchedulerBench(Clock clock, PrintStream out, PrintStream err) {
    super(clock, out, err);
  }

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || pods < 1 || clients < 1 || timeoutSeconds < 1) {
      err.println(
          "flotilla bench scheduler: --nodes, --pods, --clients and --timeout must be at least 1");
      return 2;
    }
    BenchApiServer server;
    try {
      server = BenchApiServer.start(clock);
    } catch (IOException | RuntimeException e) {
      err.println("flotilla bench scheduler: cannot start the API server: " + e.getMessage());
      return 3;
    }
    Path kubeconfig = Files.createTempFile("flotilla-bench-scheduler", ".kubeconfig");
    SchedulerBenchReport report;
    try (server;
        ApiClients http = new ApiClients(server.target(), clients)) {
      server.writeKubeconfig(kubeconfig);
      report = measure(http, kubeconfig);
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
    out.print(json ? report.json() + System.lineSeparator() : report.human());
    out.flush();
    return report.errorCount() > 0 || report.bound() < pods ? 1 : 0;
  }

  private SchedulerBenchReport measure(ApiClients http, Path kubeconfig) throws Exception {
    Failures failures = new Failures();
    LongAccumulator peakRss = new LongAccumulator(Math::max, 0);
    AtomicLong progress = new AtomicLong();
    String[] phase = {"nodes"};
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-progress").daemon().factory());
    reporter.scheduleAtFixedRate(
        () -> {
          peakRss.accumulate(ProcessMemory.rssBytes());
          err.printf("%s: %d%n", phase[0], progress.get());
        },
        1,
        1,
        TimeUnit.SECONDS);
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    config.setRequestRetryBackoffLimit(0);
    try (KubernetesClient schedulerClient =
            new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient watchClient = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient agentClient = new KubernetesClientBuilder().withConfig(config).build()) {
      err.printf("registering %d simulated nodes%n", nodes);
      long t0 = System.nanoTime();
      // The simulated node agent registers the nodes, keeps their Leases and moves bound pods to
      // Running, as it would beside a real server; a /8 of /24s has room for 65,536 nodes.
      SimulatedAgent agent =
          SimulatedAgent.start(
              agentClient,
              SimulatedNodeOptions.defaults()
                  .withNodes(nodes)
                  .withNamePrefix("node-")
                  .withCapacity("32", "256Gi", 110)
                  .withClusterCidr("10.0.0.0/8", 24));
      double nodesPerSec = nodes * 1e9 / (System.nanoTime() - t0);

      SchedulerRunner.Options o =
          SchedulerRunner.Options.defaults("bench-scheduler").withLeaderElect(false);
      try (agent;
          SchedulerRunner runner = SchedulerRunner.start(schedulerClient, o, clock)) {
        err.printf(
            "scheduler running with %d nodes in its cache%n",
            runner.scheduler().cache().nodeCount());
        ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>(pods * 2);
        Histogram bind = new ConcurrentHistogram(3);
        AtomicLong bound = new AtomicLong();
        AtomicLong lastBind = new AtomicLong();
        ConcurrentHashMap<String, Boolean> seenBound = new ConcurrentHashMap<>(pods * 2);
        Watch watch =
            watchClient
                .pods()
                .inNamespace(NAMESPACE)
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, Pod p) {
                        String node = p.getSpec().getNodeName();
                        if (node == null || node.isEmpty()) {
                          return;
                        }
                        String name = p.getMetadata().getName();
                        if (seenBound.putIfAbsent(name, Boolean.TRUE) != null) {
                          return;
                        }
                        long now = System.nanoTime();
                        Long sent = sentAt.get(name);
                        if (sent != null) {
                          bind.recordValue(Math.max(0, now - sent));
                        }
                        lastBind.accumulateAndGet(now, Math::max);
                        bound.incrementAndGet();
                      }

                      @Override
                      public void onClose(WatcherException cause) {
                        if (cause != null) {
                          failures.record("watch", cause);
                        }
                      }
                    });
        phase[0] = "pods created";
        progress.set(0);
        err.printf("creating %d pods with %d clients%n", pods, clients);
        long start = System.nanoTime();
        createPods(http, sentAt, failures, progress);
        long createdIn = System.nanoTime() - start;
        phase[0] = "pods bound";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (bound.get() < pods - failures.total() && System.nanoTime() < deadline) {
          progress.set(bound.get());
          Thread.sleep(50); // a measurement's polling, not a test
        }
        watch.close();
        peakRss.accumulate(ProcessMemory.rssBytes());
        long elapsed = Math.max(1, lastBind.get() - start);
        return new SchedulerBenchReport(
            nodes,
            pods,
            clients,
            bound.get(),
            nodesPerSec,
            pods * 1e9 / createdIn,
            bound.get() * 1e9 / elapsed,
            bind,
            peakRss.get() / (1024.0 * 1024.0),
            failures.byKind());
      }
    } finally {
      reporter.shutdownNow();
    }
  }

  private void createPods(
      ApiClients http,
      ConcurrentHashMap<String, Long> sentAt,
      Failures failures,
      AtomicLong progress)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    String path = "/api/v1/namespaces/" + NAMESPACE + "/pods";
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        pool.submit(
            () -> {
              long i;
              while ((i = next.getAndIncrement()) < pods) {
                String name = "p-" + i;
                HttpRequest req = http.post(path, podJson(name));
                sentAt.put(name, System.nanoTime());
                try {
                  HttpResponse<String> r =
                      http.client(client).send(req, HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 201) {
                    failures.record("create pod", r);
                  }
                } catch (IOException e) {
                  failures.record("create pod", e);
                }
                progress.incrementAndGet();
              }
              return null;
            });
      }
    }
  }

  static String podJson(String name) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\",\"labels\":"
            + "{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":"
            + "\"registry.k8s.io/pause:3.10\",\"resources\":{\"requests\":{\"cpu\":\"10m\","
            + "\"memory\":\"16Mi\"}}}]}}")
        .formatted(name);
  }
}
