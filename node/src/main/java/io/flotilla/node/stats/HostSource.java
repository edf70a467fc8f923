package io.flotilla.node.stats;

/** Where node-wide figures come from: {@link ProcHost} on a real machine, fixed ones in tests. */
@FunctionalInterface
public interface HostSource {
  /** Reads the figures now; may block briefly (file reads). */
  HostSample sample();
}
