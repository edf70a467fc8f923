package io.flotilla.node.runtime.cri;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a synchronous exec (CRI ExecSync) produced: the command's exit code, passed through as the
 * runtime reported it, and everything it wrote to stdout and stderr.
 */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
  public ExecResult {
    stdout = stdout.clone();
    stderr = stderr.clone();
  }

  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public byte[] stderr() {
    return stderr.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecResult r
        && r.exitCode == exitCode
        && Arrays.equals(r.stdout, stdout)
        && Arrays.equals(r.stderr, stderr);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * exitCode + Arrays.hashCode(stdout)) + Arrays.hashCode(stderr);
  }

  @Override
  public String toString() {
    return "ExecResult[exitCode="
        + exitCode
        + ", stdout="
        + stdoutText()
        + ", stderr="
        + stderrText()
        + "]";
  }

  /** Stdout decoded as UTF-8. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Stderr decoded as UTF-8. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }
}
