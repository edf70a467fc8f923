package io.flotilla.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real jar twice: {@code flotilla server} (API server, scheduler and controllers in-process)
 * and one or more {@code flotilla agent --runtime simulated} processes against its kubeconfig, plus
 * the real kubectl and a fabric8 client. Logs go to {@code server.log} and {@code agent-<prefix>
 * .log} in the directory given; {@link #logs()} gathers them for failure messages. Used from a
 * test's own thread.
 */
final class SimulatedCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(180);

  private final Path dir;
  private final FlotillaProcess server;
  private final Kubectl kubectl;
  private final KubernetesClient client;
  private final Map<String, Process> agents = new LinkedHashMap<>();

  private SimulatedCluster(Path dir, FlotillaProcess server) throws Exception {
    this.dir = dir;
    this.server = server;
    this.kubectl = new Kubectl(server.kubeconfig());
    this.client = DurabilityE2ETest.client(server.kubeconfig());
  }

  /**
   * A server with {@code serverArgs} and one agent of {@code nodes} nodes named sim-0, sim-1, ….
   */
  static SimulatedCluster start(Path dir, int nodes, String... serverArgs) throws Exception {
    SimulatedCluster c =
        new SimulatedCluster(dir, FlotillaProcess.start(dir.resolve("data"), serverArgs));
    c.startAgent("sim-", nodes);
    return c;
  }

  /** Starts another agent process registering {@code nodes} nodes named prefix0, prefix1, …. */
  void startAgent(String prefix, int nodes, String... extraArgs) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runtime",
                "simulated",
                "--nodes",
                String.valueOf(nodes),
                "--name-prefix",
                prefix,
                "--kubeconfig",
                server.kubeconfig().toString()));
    args.addAll(List.of(extraArgs));
    Process p =
        FlotillaProcess.startAgent(
            ProcessBuilder.Redirect.appendTo(dir.resolve("agent-" + prefix + "log").toFile()),
            args.toArray(String[]::new));
    agents.put(prefix, p);
    await(nodes + " Ready nodes " + prefix + "*")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError("agent exited " + p.exitValue() + "\n" + logs());
              }
              return readyNodes(prefix) == nodes;
            });
  }

  /** Stops the agent of that prefix (SIGTERM) and waits for it to exit. */
  void stopAgent(String prefix) throws InterruptedException {
    FlotillaProcess.stopAgent(agents.remove(prefix));
  }

  long readyNodes(String prefix) {
    Kubectl.Result r = kubectl.run("get", "nodes", "--no-headers");
    return r.exitCode() != 0
        ? -1
        : r.stdout()
            .lines()
            .filter(l -> l.matches(java.util.regex.Pattern.quote(prefix) + "\\d+\\s+Ready\\s.*"))
            .count();
  }

  Kubectl kubectl() {
    return kubectl;
  }

  KubernetesClient client() {
    return client;
  }

  FlotillaProcess server() {
    return server;
  }

  /** The server's log and every agent's, for failure messages. */
  String logs() {
    StringBuilder s = new StringBuilder("--- server.log (tail)\n").append(tail(server.log()));
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("agent-")).toList()) {
        s.append("--- ")
            .append(f.getFileName())
            .append(" (tail)\n")
            .append(tail(Files.readString(f)));
      }
    } catch (IOException e) {
      s.append("(cannot read agent logs: ").append(e.getMessage()).append(")\n");
    }
    return s.toString();
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }

  @Override
  public void close() throws Exception {
    client.close();
    for (String prefix : List.copyOf(agents.keySet())) {
      stopAgent(prefix);
    }
    server.close();
  }
}
