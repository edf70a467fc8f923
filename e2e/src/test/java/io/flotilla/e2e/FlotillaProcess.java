package io.flotilla.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Flotilla jar running as a child process: {@code java -jar flotilla.jar server} on a free
 * loopback port with its own data directory. Its output goes to {@code server.log} in the data
 * directory, which failing tests print.
 */
public final class FlotillaProcess implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private FlotillaProcess(Path dataDir, int port, List<String> extraArgs) {
    this.dataDir = dataDir;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** Starts a server on a free port and waits until it is ready. */
  public static FlotillaProcess start(Path dataDir, String... extraArgs) throws IOException {
    FlotillaProcess p = new FlotillaProcess(dataDir, freePort(), List.of(extraArgs));
    p.launch();
    return p;
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return port;
  }

  public Path kubeconfig() {
    return dataDir.resolve("admin.kubeconfig");
  }

  public long pid() {
    return process.pid();
  }

  /** Starts the server again on the same data directory and port (after {@link #kill}). */
  public void restart() throws IOException {
    launch();
  }

  /** SIGKILL: the process gets no chance to flush or clean up. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, as Ctrl-C or a service manager would stop it; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  public String log() {
    try {
      return Files.readString(dataDir.resolve("server.log"));
    } catch (IOException e) {
      return "(no server.log: " + e.getMessage() + ")";
    }
  }

  private void launch() throws IOException {
    Files.createDirectories(dataDir);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(List.of("-jar", jar().toString(), "server", "--data-dir", dataDir.toString()));
    cmd.addAll(List.of("--bind", "127.0.0.1", "--port", String.valueOf(port)));
    cmd.addAll(extraArgs);
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()))
            .start();
    await("server ready on port " + port)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "server exited " + process.exitValue() + ":\n" + log());
              }
              return Files.exists(kubeconfig()) && Kubectl.ready(kubeconfig());
            });
  }

  /**
   * Starts {@code java -jar flotilla.jar agent} with these arguments, its output and errors going
   * to {@code output}; stop it with {@link #stopAgent}.
   */
  static Process startAgent(ProcessBuilder.Redirect output, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path jar = Path.of(System.getProperty("flotilla.jar", "../cli/target/flotilla.jar"));
    List<String> cmd =
        new ArrayList<>(List.of(java, "-jar", jar.toAbsolutePath().toString(), "agent"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output).start();
  }

  /** Stops an agent from {@link #startAgent} (SIGTERM) and waits for it to exit; null is none. */
  static void stopAgent(Process agent) throws InterruptedException {
    if (agent != null) {
      agent.destroy();
      agent.waitFor();
    }
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("flotilla.jar", "../cli/target/flotilla.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with 'mvn -DskipTests package'");
    }
    return jar.toAbsolutePath();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
