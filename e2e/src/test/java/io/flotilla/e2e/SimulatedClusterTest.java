package io.flotilla.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the end-to-end test classes that share one {@link SimulatedCluster}: it is started in a
 * fresh temporary directory before a class's first test, with one agent of the given number of
 * nodes, and closed after its last. The test classes run one at a time (the temporary directory is
 * a static field, injected per class); each is used from JUnit's thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SimulatedClusterTest {
  @TempDir static Path dir;
  private final int nodes;
  SimulatedCluster cluster;
  Kubectl kubectl;

  /** A cluster whose first agent registers {@code nodes} nodes named sim-0, sim-1, …. */
  SimulatedClusterTest(int nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    cluster = SimulatedCluster.start(dir, nodes);
    kubectl = cluster.kubectl();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }
}
