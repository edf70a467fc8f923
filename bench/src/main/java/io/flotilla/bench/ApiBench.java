package io.flotilla.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla bench api}: the API server's figures, measured against a server this command
 * starts in-process as {@code flotilla server} runs it (embedded store in a temporary directory,
 * watch cache, TLS, HTTP/2, client-certificate authentication as the admin user), or, with {@code
 * --kubeconfig}, against a running server in fresh namespaces:
 *
 * <ol>
 *   <li>creates/s and create latency with {@code --clients} concurrent clients;
 *   <li>create latency at a fixed rate ({@code --rate}, open loop);
 *   <li>full-list latency over {@code --list-objects} ConfigMaps;
 *   <li>watch delivery delay with {@code --watchers} watch streams.
 * </ol>
 *
 * <p>Exit codes: 0 when every request succeeded, 1 when some failed (counted by kind in the
 * output), 2 for bad options or an unusable kubeconfig, 3 when the server cannot start or be
 * reached.
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = {
      "Throughput and latency of the API server over HTTP/2 with TLS: creates, creates at a"
          + " fixed rate, full lists, watch delivery. Starts its own server in-process on"
          + " 127.0.0.1 with a temporary data directory (deleted afterwards)."
    })
public final class ApiBench implements java.util.concurrent.Callable<Integer> {
  static final String CREATE_NAMESPACE = "default";
  static final String LIST_NAMESPACE = "bench-list";
  static final String WATCH_NAMESPACE = "bench-watch";
  static final String AUTH = "client certificate of the admin user (kubernetes-admin)";

  @Option(
      names = "--clients",
      defaultValue = "64",
      description = "Concurrent clients creating (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--creates",
      defaultValue = "20000",
      description = "ConfigMaps they create (default: ${DEFAULT-VALUE}).")
  long creates;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      paramLabel = "PER_SEC",
      description = "Creates per second in the fixed-rate phase (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--rate-creates",
      defaultValue = "5000",
      description = "ConfigMaps created in the fixed-rate phase (default: ${DEFAULT-VALUE}).")
  long rateCreates;

  @Option(
      names = "--list-objects",
      defaultValue = "10000",
      description = "ConfigMaps in the listed namespace (default: ${DEFAULT-VALUE}).")
  int listObjects;

  @Option(
      names = "--lists",
      defaultValue = "20",
      description = "Timed full lists (default: ${DEFAULT-VALUE}).")
  int lists;

  @Option(
      names = "--watchers",
      defaultValue = "100",
      description = "Watch streams (default: ${DEFAULT-VALUE}).")
  int watchers;

  @Option(
      names = "--watch-events",
      defaultValue = "1000",
      description = "ConfigMaps created while watched (default: ${DEFAULT-VALUE}).")
  int watchEvents;

  @Option(
      names = "--watch-rate",
      defaultValue = "100",
      paramLabel = "PER_SEC",
      description = "Creates per second while watched (default: ${DEFAULT-VALUE}).")
  double watchRate;

  @Option(
      names = "--warmup",
      defaultValue = "10000",
      description =
          "ConfigMaps created, untimed, before the measurements, so that the JIT compilers have"
              + " done most of their work; 0 for none (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--data-size",
      defaultValue = "1024",
      paramLabel = "BYTES",
      description = "Bytes of data per ConfigMap (default: ${DEFAULT-VALUE}).")
  int dataSize;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Measure the server of this kubeconfig's current context instead of starting one."
              + " Objects go to fresh namespaces bench-{create,list,watch}-<run id>, left"
              + " behind for you to delete.")
  Path kubeconfig;

  @Option(names = "--json", description = "Print one JSON object on stdout instead of a summary.")
  boolean json;

  /**
   * Where each phase's objects go: on the in-process server, {@code default}, {@code bench-list}
   * and {@code bench-watch}; on an existing one, fresh namespaces so that runs do not collide.
   */
  record Namespaces(String create, String list, String watch) {
    static Namespaces inProcess() {
      return new Namespaces(CREATE_NAMESPACE, LIST_NAMESPACE, WATCH_NAMESPACE);
    }

    static Namespaces fresh(String runId) {
      return new Namespaces(
          "bench-create-" + runId, LIST_NAMESPACE + "-" + runId, WATCH_NAMESPACE + "-" + runId);
    }
  }

  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;
  private volatile String phase = "starting";
  private final AtomicLong done = new AtomicLong();
  private volatile long phaseTotal;

  public ApiBench() {
    this(Clock.systemUTC(), System.out, System.err);
  }

  ApiBench(Clock clock, PrintStream out, PrintStream err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    try {
      checkSizes();
    } catch (IllegalArgumentException e) {
      err.println("flotilla bench api: " + e.getMessage());
      return 2;
    }
    ApiTarget external = null;
    if (kubeconfig != null) {
      try {
        external = KubeconfigTarget.load(kubeconfig);
      } catch (IOException | IllegalArgumentException e) {
        err.println("flotilla bench api: cannot use --kubeconfig " + kubeconfig + ": " + e);
        return 2;
      }
    }
    BenchApiServer server = null;
    if (external == null) {
      try {
        server = BenchApiServer.start(clock);
      } catch (IOException | RuntimeException e) {
        err.println("flotilla bench api: cannot start the API server: " + e.getMessage());
        return 3;
      }
    }
    ApiTarget target = external != null ? external : server.target();
    Namespaces namespaces =
        external == null
            ? Namespaces.inProcess()
            : Namespaces.fresh(Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40));
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-progress").daemon().factory());
    reporter.scheduleAtFixedRate(
        () -> err.printf("%s: %d/%d%n", phase, done.get(), phaseTotal), 1, 1, TimeUnit.SECONDS);
    ApiBenchReport report;
    try (ApiClients http = new ApiClients(target, Math.max(clients, watchers))) {
      report = measure(target, http, namespaces);
    } catch (IOException e) {
      err.printf("flotilla bench api: cannot talk to %s: %s%n", target.base(), e);
      return 3;
    } finally {
      reporter.shutdownNow();
      if (server != null) {
        server.close();
      }
    }
    if (external != null) {
      err.printf(
          "flotilla bench api: the objects created are left in namespaces %s, %s and %s; delete"
              + " them with: kubectl delete namespace %s %s %s%n",
          namespaces.create(),
          namespaces.list(),
          namespaces.watch(),
          namespaces.create(),
          namespaces.list(),
          namespaces.watch());
    }
    out.print(json ? report.json() + System.lineSeparator() : report.human());
    out.flush();
    if (report.errorCount() > 0) {
      err.printf(
          "flotilla bench api: %d requests or events failed (see error_kinds); the figures"
              + " cover the successful ones only%n",
          report.errorCount());
      return 1;
    }
    return 0;
  }

  private ApiBenchReport measure(ApiTarget target, ApiClients http, Namespaces ns)
      throws IOException, InterruptedException {
    Failures failures = new Failures();
    BenchConfigMaps objects = BenchConfigMaps.ofSize(dataSize);
    for (String name : List.of(ns.create(), ns.list(), ns.watch())) {
      if (!name.equals(CREATE_NAMESPACE)) {
        createNamespace(http, name, failures);
      }
    }

    if (warmup > 0) {
      // Untimed: on a 2-core machine the JIT compilers take a large share of the CPU for the
      // first tens of seconds, which is start-up cost, not what the server sustains.
      CreateLoad.Result warm =
          new CreateLoad(http, objects, ns.create(), "w-")
              .closedLoop(clients, warmup, failures, start("warm-up creates", warmup));
      report("warm-up creates", warm.created());
    }

    CreateLoad inDefault = new CreateLoad(http, objects, ns.create(), "c-");
    CreateLoad.Result created =
        inDefault.closedLoop(clients, creates, failures, start("creates", creates));
    report("creates", created.created());

    CreateLoad paced = new CreateLoad(http, objects, ns.create(), "r-");
    CreateLoad.Result atRate =
        paced.openLoop(
            rate,
            rateCreates,
            failures,
            start("creates at a fixed rate", rateCreates),
            (i, t) -> {});
    report("creates at a fixed rate", atRate.created());

    new CreateLoad(http, objects, ns.list(), "l-")
        .closedLoop(clients, listObjects, failures, start("filling " + ns.list(), listObjects));
    ListLoad.Result listed =
        new ListLoad(http, ns.list()).run(lists, listObjects, failures, start("lists", lists));
    report("lists", listed.lists());

    WatchLoad.Result watched =
        new WatchLoad(http, objects, ns.watch())
            .run(
                watchers,
                watchEvents,
                watchRate,
                failures,
                start("creates while watched", watchEvents));
    report("watch events delivered", watched.delivered());

    return new ApiBenchReport(
        new ApiBenchReport.Sizes(
            clients,
            creates,
            rate,
            rateCreates,
            listObjects,
            lists,
            watchers,
            watchEvents,
            watchRate,
            warmup),
        target.description().equals("in-process")
            ? "in-process at " + target.base()
            : target.description(),
        target.authorization() != null
            ? "bearer token from the kubeconfig"
            : kubeconfig != null ? "client certificate from the kubeconfig" : AUTH,
        created,
        atRate,
        listed,
        watched,
        failures.byKind());
  }

  private AtomicLong start(String name, long total) {
    err.printf("%s: %d to do%n", name, total);
    done.set(0);
    phaseTotal = total;
    phase = name;
    return done;
  }

  private void report(String name, long count) {
    err.printf("%s: done, %d succeeded%n", name, count);
  }

  private static void createNamespace(ApiClients http, String name, Failures failures)
      throws IOException, InterruptedException {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
    HttpResponse<String> r =
        http.client(0)
            .send(http.post("/api/v1/namespaces", body), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      failures.record("create namespace", r);
    }
  }

  void checkSizes() {
    positive("--clients", clients);
    positive("--creates", creates);
    positive("--rate-creates", rateCreates);
    positive("--list-objects", listObjects);
    positive("--lists", lists);
    positive("--watchers", watchers);
    positive("--watch-events", watchEvents);
    if (!(rate > 0 && rate <= 1e6)) {
      throw new IllegalArgumentException("--rate must be above 0 and at most 1000000, got " + rate);
    }
    if (!(watchRate > 0 && watchRate <= 1e6)) {
      throw new IllegalArgumentException(
          "--watch-rate must be above 0 and at most 1000000, got " + watchRate);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be at least 0, got " + warmup);
    }
    if (dataSize < 0 || dataSize > 1 << 20) {
      throw new IllegalArgumentException(
          "--data-size must be between 0 and 1048576 bytes, got " + dataSize);
    }
  }

  private static void positive(String option, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, got " + value);
    }
  }
}
