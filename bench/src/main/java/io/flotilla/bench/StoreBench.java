package io.flotilla.bench;

import io.flotilla.bench.StoreBackends.BackendUnavailableException;
import io.flotilla.store.Store;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla bench store}: write throughput and latency of the embedded store and of etcd,
 * measured with the same workload in one run (see {@link WriteWorkload}) so that their figures
 * compare.
 *
 * <p>Exit codes: 0 when every backend was measured, 1 when a write failed, 2 for bad options, 3
 * when a backend cannot run here (etcd not installed or not reachable); the message on stderr says
 * which and how to fix it.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {
      "Write throughput and latency of the embedded store and of etcd, on the same workload:",
      "N writer threads create fresh keys (create-if-absent) until M writes are done."
    })
public final class StoreBench implements Callable<Integer> {

  @Option(
      names = "--backend",
      split = ",",
      defaultValue = "all",
      paramLabel = "BACKEND",
      description = "embedded, etcd, or all (the default); repeat or separate with commas.")
  List<String> backends = new ArrayList<>();

  @Option(
      names = "--writers",
      defaultValue = "64",
      description = "Concurrent writers (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(
      names = "--ops",
      defaultValue = "100000",
      description = "Total writes per backend (default: ${DEFAULT-VALUE}).")
  long ops;

  @Option(
      names = "--value-size",
      defaultValue = "1024",
      paramLabel = "BYTES",
      description = "Bytes per value (default: ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(
      names = "--etcd-endpoints",
      split = ",",
      paramLabel = "URL",
      description =
          "Client URLs of a running etcd; without it the etcd backend starts its own etcd on"
              + " 127.0.0.1 (Debian package etcd-server).")
  List<URI> etcdEndpoints = new ArrayList<>();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the embedded store writes (default: a temporary directory, deleted).")
  Path dataDir;

  @Option(names = "--json", description = "Print one JSON object on stdout instead of a table.")
  boolean json;

  private final StoreBackends stores;
  private final PrintStream out;
  private final PrintStream err;

  public StoreBench() {
    this(new ShippedStoreBackends(), System.out, System.err);
  }

  StoreBench(StoreBackends stores, PrintStream out, PrintStream err) {
    this.stores = stores;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    List<String> chosen;
    try {
      chosen = chosenBackends();
      checkSizes();
    } catch (IllegalArgumentException e) {
      err.println("flotilla bench store: " + e.getMessage());
      return 2;
    }
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("flotilla-bench-store-");
    Map<String, WriteWorkload.Result> results = new LinkedHashMap<>();
    try {
      for (String backend : chosen) {
        results.put(backend, run(backend, dir));
      }
    } catch (BackendUnavailableException e) {
      err.println("flotilla bench store: " + e.getMessage());
      return 3;
    } catch (WriteWorkload.WriteFailedException e) {
      err.println("flotilla bench store: " + e.getMessage());
      return 1;
    } finally {
      if (dataDir == null) {
        DataDirs.deleteTree(dir);
      }
    }
    StoreBenchReport report = new StoreBenchReport(valueSize, writers, ops, results);
    out.print(json ? report.json() + System.lineSeparator() : report.human());
    out.flush();
    return 0;
  }

  /** The backends to run, in a fixed order (embedded first), without repeats. */
  List<String> chosenBackends() {
    List<String> chosen = new ArrayList<>();
    for (String b : backends) {
      switch (b.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "all", "both" -> {
          chosen.add(StoreBenchReport.EMBEDDED);
          chosen.add(StoreBenchReport.ETCD);
        }
        case StoreBenchReport.EMBEDDED -> chosen.add(StoreBenchReport.EMBEDDED);
        case StoreBenchReport.ETCD -> chosen.add(StoreBenchReport.ETCD);
        default ->
            throw new IllegalArgumentException(
                "unknown --backend '%s': use embedded, etcd or all".formatted(b));
      }
    }
    return Stream.of(StoreBenchReport.EMBEDDED, StoreBenchReport.ETCD)
        .filter(chosen::contains)
        .toList();
  }

  private void checkSizes() {
    if (writers < 1) {
      throw new IllegalArgumentException("--writers must be at least 1, got " + writers);
    }
    if (ops < 1) {
      throw new IllegalArgumentException("--ops must be at least 1, got " + ops);
    }
    if (valueSize < 0 || valueSize > Store.MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "--value-size must be between 0 and %d bytes, got %d"
              .formatted(Store.MAX_VALUE_BYTES, valueSize));
    }
  }

  private WriteWorkload.Result run(String backend, Path dir) throws Exception {
    byte[] value = new byte[valueSize];
    ThreadLocalRandom.current().nextBytes(value);
    // A fresh prefix per run, so that runs against one external etcd never collide.
    String prefix = "/flotilla-bench/%x/".formatted(ThreadLocalRandom.current().nextLong());
    WriteWorkload workload = new WriteWorkload(writers, ops, value, prefix);
    if (backend.equals(StoreBenchReport.EMBEDDED)) {
      try (Store store = open(backend, () -> stores.openEmbedded(dir.resolve("embedded")))) {
        return measure(backend, workload, store);
      }
    }
    if (!etcdEndpoints.isEmpty()) {
      try (Store store = open(backend, () -> stores.openEtcd(etcdEndpoints))) {
        return measure(backend, workload, store);
      }
    }
    try (StoreBackends.LocalEtcd etcd = open("a local etcd", stores::startEtcd);
        Store store = open(backend, () -> stores.openEtcd(etcd.endpoints()))) {
      return measure(backend, workload, store);
    }
  }

  /** Opens something, turning any failure into a BackendUnavailableException that names it. */
  private static <T> T open(String what, Callable<T> opener) throws BackendUnavailableException {
    try {
      return opener.call();
    } catch (BackendUnavailableException e) {
      throw e;
    } catch (Exception e) {
      throw new BackendUnavailableException(
          "cannot open %s: %s".formatted(what, e.getMessage()), e);
    }
  }

  private WriteWorkload.Result measure(String backend, WriteWorkload workload, Store store)
      throws Exception {
    WriteWorkload.Progress progress = new WriteWorkload.Progress();
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-progress").daemon().factory());
    reporter.scheduleAtFixedRate(
        () -> err.printf("%s: %d/%d writes%n", backend, progress.done(), ops),
        1,
        1,
        TimeUnit.SECONDS);
    try {
      WriteWorkload.Result result = workload.run(store, progress);
      err.printf("%s: %d/%d writes, done%n", backend, result.writes(), ops);
      return result;
    } finally {
      reporter.shutdownNow();
    }
  }
}
