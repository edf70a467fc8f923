package io.flotilla.store.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-member etcd server run as a child process, for tests and for {@code flotilla bench store
 * --backend etcd}.
 *
 * <p>It listens only on 127.0.0.1, on two free ports (client and peer) chosen once at start, and
 * keeps its data in a directory of its own. {@link #stop()} ends the process but keeps the data and
 * the ports so that {@link #restart()} brings back the same server with the same history, which is
 * how tests cut a client's connection. {@link #close()} stops it and deletes the data.
 *
 * <p>Threading: not thread-safe; one owner starts, restarts and closes it.
 */
public final class EtcdProcess implements AutoCloseable {

  /** Where the Debian package {@code etcd-server} installs the binary. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String NAME = "flotilla";

  private final Path binary;
  private final Path root;
  private final int clientPort;
  private final int peerPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Process process;

  private EtcdProcess(Path binary, Path root, int clientPort, int peerPort) {
    this.binary = binary;
    this.root = root;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Starts etcd from {@link #DEFAULT_BINARY} in a new temporary directory. */
  public static EtcdProcess start() {
    return start(DEFAULT_BINARY);
  }

  /**
   * Starts etcd from {@code binary} in a new temporary directory and waits until it is healthy.
   *
   * @throws IllegalStateException when the binary is missing or the server does not come up
   */
  public static EtcdProcess start(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          ("etcd is not installed: %s is missing or not executable. Install the Debian package"
                  + " etcd-server (apt-get install -y etcd-server), or pass the path of an etcd"
                  + " 3.4+ binary.")
              .formatted(binary));
    }
    Path root;
    try {
      root = Files.createTempDirectory("flotilla-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for etcd", e);
    }
    EtcdProcess etcd = new EtcdProcess(binary, root, freePort(), freePort());
    try {
      etcd.launch();
      return etcd;
    } catch (RuntimeException e) {
      etcd.close();
      throw e;
    }
  }

  /** The client URL, {@code http://127.0.0.1:<port>}. */
  public URI clientUri() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  /** The client URL as a list, as {@link EtcdStore#connect(List)} takes it. */
  public List<URI> endpoints() {
    return List.of(clientUri());
  }

  /** The directory that holds etcd's data ({@code data/}) and its log ({@code etcd.log}). */
  public Path directory() {
    return root;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and keeps its data. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the server again on the same data and ports; waits until it is healthy. */
  public void restart() {
    stop();
    launch();
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    stop();
    deleteRecursively(root);
  }

  private void launch() {
    String client = clientUri().toString();
    String peer = "http://127.0.0.1:" + peerPort;
    // On a restart the data directory already holds the member; etcd then ignores the
    // --initial-* flags, so the same command line serves both cases.
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--name=" + NAME,
            "--data-dir=" + root.resolve("data"),
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=" + NAME + "=" + peer,
            "--initial-cluster-state=new",
            "--initial-cluster-token=flotilla-" + clientPort,
            // A lone member elects itself after one election timeout; etcd's default of 1 s
            // (randomized up to 2 s) would dominate start-up. With no peers, a short timeout
            // cannot cause spurious elections, and it does not touch the write path.
            "--heartbeat-interval=30",
            "--election-timeout=300",
            "--logger=zap",
            "--log-outputs=stderr"));
    Path log = root.resolve("etcd.log");
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    awaitHealthy(log);
  }

  /** Polls {@code /health} until etcd reports itself healthy, the process dies, or time is up. */
  private void awaitHealthy(Path log) {
    HttpRequest health =
        HttpRequest.newBuilder(clientUri().resolve("/health"))
            .timeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "etcd exited with status %d while starting; its log %s ends with:%n%s"
                .formatted(process.exitValue(), log, tail(log)));
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd to start", e);
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd to start", e);
      }
    }
    stop();
    throw new IllegalStateException(
        "etcd did not become healthy on %s within %s; its log %s ends with:%n%s"
            .formatted(clientUri(), START_TIMEOUT, log, tail(log)));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete etcd directory " + dir, e);
    }
  }
}
