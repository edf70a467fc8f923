package io.flotilla.bench;

import java.io.PrintStream;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * What the whole-path bench commands share: the clock they time with, where the summary and the
 * progress go, and {@code --json} (one JSON object on stdout instead of the human summary).
 */
abstract class BenchBase {
  @Option(names = "--json", description = "Print one JSON object on stdout instead of a summary.")
  boolean json;

  final Clock clock;
  final PrintStream out;
  final PrintStream err;

  BenchBase(Clock clock, PrintStream out, PrintStream err) {
    this.clock = clock;
    this.out = out;
    this.err = err;
  }
}
