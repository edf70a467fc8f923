package io.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class StoreBenchTest {
  private final FakeBackends backends = new FakeBackends();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    StoreBench bench =
        new StoreBench(
            backends,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(bench).execute(args);
  }

  private JsonNode json() throws Exception {
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.strip().lines()).as("one JSON object on one line").hasSize(1);
    return new ObjectMapper().readTree(text);
  }

  @Test
  void runsBothBackendsOnTheSameWorkloadAndPrintsOneJsonObject() throws Exception {
    int exit = run("--ops", "300", "--writers", "4", "--value-size", "16", "--json");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    JsonNode json = json();
    assertThat(json.get("value_size_bytes").asInt()).isEqualTo(16);
    assertThat(json.get("writers").asInt()).isEqualTo(4);
    assertThat(json.get("ops").asLong()).isEqualTo(300);
    for (String backend : List.of("embedded", "etcd")) {
      JsonNode figures = json.get(backend);
      assertThat(figures).as(backend).isNotNull();
      assertThat(figures.get("writes").asLong()).isEqualTo(300);
      assertThat(figures.get("writes_per_sec").asDouble()).isPositive();
      assertThat(figures.get("p99_ms").asDouble())
          .isGreaterThanOrEqualTo(figures.get("p50_ms").asDouble());
      assertThat(figures.has("p999_ms")).isTrue();
    }
    assertThat(json.get("embedded_over_etcd_ratio").asDouble()).isPositive();
    assertThat(json.has("writes_per_sec")).as("top-level figures with two backends").isFalse();
    assertThat(backends.opened).hasSize(2);
    for (CreateOnlyStore store : backends.opened) {
      assertThat(store.keys).hasSize(300);
      assertThat(store.keys.values()).allSatisfy(v -> assertThat(v).hasSize(16));
      assertThat(store.closed).isTrue();
    }
    assertThat(backends.localEtcdStarted).isTrue();
    assertThat(backends.localEtcdClosed).isTrue();
  }

  @Test
  void oneBackendAlsoReportsItsFiguresAtTheTopLevel() throws Exception {
    int exit =
        run(
            "--backend",
            "etcd",
            "--etcd-endpoints",
            "http://127.0.0.1:2379",
            "--ops",
            "50",
            "--writers",
            "3",
            "--json");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    JsonNode json = json();
    assertThat(json.get("backend").asText()).isEqualTo("etcd");
    assertThat(json.get("writes_per_sec").asDouble()).isPositive();
    assertThat(json.has("p50_ms")).isTrue();
    assertThat(json.has("p99_ms")).isTrue();
    assertThat(json.has("embedded")).isFalse();
    assertThat(json.has("embedded_over_etcd_ratio")).isFalse();
    assertThat(backends.etcdEndpoints).containsExactly(URI.create("http://127.0.0.1:2379"));
    assertThat(backends.localEtcdStarted).as("no local etcd with --etcd-endpoints").isFalse();
  }

  @Test
  void theSummaryListsEachBackendAndTheirRatio() {
    int exit = run("--backend", "etcd,embedded", "--ops", "40", "--writers", "2");

    assertThat(exit).isZero();
    String summary = out.toString(StandardCharsets.UTF_8);
    assertThat(summary).contains("40 create-if-absent writes of 1024-byte values by 2 writers");
    assertThat(summary.lines().filter(l -> l.startsWith("embedded ") || l.startsWith("etcd ")))
        .as("one row per backend, embedded first")
        .hasSize(2)
        .first()
        .asString()
        .startsWith("embedded");
    assertThat(summary).contains("embedded/etcd write throughput:");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("embedded: 40/40 writes, done");
  }

  @Test
  void aMissingEtcdFailsWithAMessageSayingHowToFixIt() {
    backends.etcdMissing = true;

    int exit = run("--ops", "10", "--writers", "1", "--json");

    assertThat(exit).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("etcd-server", "--etcd-endpoints");
    assertThat(out.toString(StandardCharsets.UTF_8)).as("no partial JSON").isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--backend, redis, unknown --backend 'redis'",
    "--writers, 0, --writers must be at least 1",
    "--ops, 0, --ops must be at least 1",
    "--value-size, -1, --value-size must be between 0 and"
  })
  void badOptionsAreRejectedBeforeAnythingRuns(String option, String value, String message) {
    int exit = run(option, value);

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    assertThat(backends.opened).isEmpty();
  }

  @Test
  void theDefaultDataDirectoryIsDeletedAndAGivenOneIsKept(@TempDir Path given) {
    assertThat(run("--backend", "embedded", "--ops", "5", "--writers", "1")).isZero();
    assertThat(backends.embeddedDirs.getFirst().getParent()).doesNotExist();

    assertThat(run("--backend", "embedded", "--ops", "5", "--data-dir", given.toString())).isZero();
    assertThat(backends.embeddedDirs.getLast()).isEqualTo(given.resolve("embedded"));
    assertThat(Files.exists(given)).isTrue();
  }

  /** Hands out create-only stores and pretends to start etcd. */
  private static final class FakeBackends implements StoreBackends {
    final List<CreateOnlyStore> opened = new ArrayList<>();
    final List<Path> embeddedDirs = new ArrayList<>();
    List<URI> etcdEndpoints;
    boolean etcdMissing;
    boolean localEtcdStarted;
    boolean localEtcdClosed;

    @Override
    public Store openEmbedded(Path dataDir) throws Exception {
      Files.createDirectories(dataDir);
      embeddedDirs.add(dataDir);
      return open();
    }

    @Override
    public Store openEtcd(List<URI> endpoints) {
      etcdEndpoints = endpoints;
      return open();
    }

    private CreateOnlyStore open() {
      CreateOnlyStore store = new CreateOnlyStore();
      opened.add(store);
      return store;
    }

    @Override
    public LocalEtcd startEtcd() throws BackendUnavailableException {
      if (etcdMissing) {
        throw new BackendUnavailableException(
            "etcd is not installed: install the Debian package etcd-server or pass"
                + " --etcd-endpoints");
      }
      localEtcdStarted = true;
      return new LocalEtcd() {
        @Override
        public List<URI> endpoints() {
          return List.of(URI.create("http://127.0.0.1:1"));
        }

        @Override
        public void close() {
          localEtcdClosed = true;
        }
      };
    }
  }
}
