package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl (/usr/bin/kubectl) pointed at an in-process server over plain HTTP, with a HOME
 * of its own so that no discovery cache is shared with other tests or the developer.
 */
final class KubectlFixture {
  static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  /** What one kubectl run returned and printed. */
  record Result(int exit, String out, String err) {}

  private final Path home;
  private final Path kubeconfig;

  /** Writes a kubeconfig for {@code serverUrl} into {@code home}. */
  KubectlFixture(Path home, String serverUrl) throws IOException {
    this.home = home;
    this.kubeconfig = home.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: flotilla
          cluster:
            server: %s
        contexts:
        - name: flotilla
          context: {cluster: flotilla, user: me, namespace: default}
        current-context: flotilla
        users:
        - name: me
          user: {}
        """
            .formatted(serverUrl));
  }

  static boolean installed() {
    return Files.isExecutable(KUBECTL);
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** The command line for {@code kubectl args…}, not yet started (for watches). */
  ProcessBuilder command(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
    pb.environment().remove("KUBECONFIG");
    return pb;
  }

  /** Runs kubectl to the end and collects what it printed. */
  Result run(String... args) throws IOException, InterruptedException {
    Process p = command(args).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** Writes a manifest into the fixture's HOME and returns its path. */
  Path manifest(String name, String yaml) throws IOException {
    Path p = home.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }
}
