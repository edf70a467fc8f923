package io.flotilla.cli;

import io.flotilla.bench.ApiBench;
import io.flotilla.bench.PodsBench;
import io.flotilla.bench.RolloutBench;
import io.flotilla.bench.SchedulerBench;
import io.flotilla.bench.StoreBench;
import picocli.CommandLine.Command;

/** {@code flotilla bench …}: the scale benchmarks; each prints a summary, or JSON with --json. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures (--json for one JSON object).",
    subcommands = {
      StoreBench.class,
      ApiBench.class,
      SchedulerBench.class,
      RolloutBench.class,
      PodsBench.class
    })
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
