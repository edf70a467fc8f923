package io.flotilla.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl against a kubeconfig, with its own HOME so that no discovery cache is
 * shared between tests or with the developer's own.
 */
public final class Kubectl {
  /** What one kubectl run printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError(
            "kubectl exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  private final Path kubeconfig;
  private final Path home;

  public Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    try {
      this.home = Files.createTempDirectory("kubectl-home");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with extra environment variables (an editor for "edit"). */
  public Result runWithEnv(java.util.Map<String, String> env, String... args) {
    return run(null, env, args);
  }

  /** Runs kubectl with {@code stdin} as its standard input (for "-f -"). */
  public Result runWithInput(String stdin, String... args) {
    return run(stdin, java.util.Map.of(), args);
  }

  private Result run(String stdin, java.util.Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
    pb.environment().remove("KUBECONFIG");
    pb.environment().putAll(env);
    try {
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts kubectl without waiting, for watches; the caller destroys it. */
  public Process start(Path output, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
    return pb.start();
  }

  private static final java.util.Map<Path, Kubectl> PROBES =
      new java.util.concurrent.ConcurrentHashMap<>();

  static boolean ready(Path kubeconfig) {
    Result r =
        PROBES
            .computeIfAbsent(kubeconfig, Kubectl::new)
            .run("get", "--raw", "/readyz", "--request-timeout=2s");
    return r.exitCode() == 0 && r.stdout().trim().equals("ok");
  }
}
