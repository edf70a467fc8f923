package io.flotilla.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flotilla bench store}: write throughput and latency of a Store backend. */
@Command(
    name = "store",
    description = "Write throughput and latency of the embedded or etcd store.")
public final class StoreBench implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("flotilla bench store: not built yet");
    return 1;
  }
}
