package io.flotilla.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodePressureTest {
  private static final long GI = 1L << 30;
  private static final long MI = 1L << 20;
  private static final FsFigures ROOMY = new FsFigures(100 * GI, 50 * GI, 50 * GI);

  /** A host with 8 GiB whose working set leaves {@code availableBytes}. */
  private static HostSample host(
      long availableBytes, FsFigures nodeFs, FsFigures imageFs, long processes) {
    long total = 8 * GI;
    return new HostSample(
        Instant.EPOCH, 0, total, availableBytes, 0, 0, nodeFs, imageFs, processes, 32768);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("healthy", host(2 * GI, ROOMY, ROOMY, 100), "False", "False", "False"),
        Arguments.of(
            "memory.available 99Mi < 100Mi",
            host(99 * MI, ROOMY, ROOMY, 100),
            "True",
            "False",
            "False"),
        Arguments.of(
            "memory.available exactly 100Mi is no pressure",
            host(100 * MI, ROOMY, ROOMY, 100),
            "False",
            "False",
            "False"),
        Arguments.of(
            "nodefs.available 9% < 10%",
            host(2 * GI, new FsFigures(100 * GI, 9 * GI, 91 * GI), ROOMY, 100),
            "False",
            "True",
            "False"),
        Arguments.of(
            "imagefs.available 14% < 15%",
            host(2 * GI, ROOMY, new FsFigures(100 * GI, 14 * GI, 86 * GI), 100),
            "False",
            "True",
            "False"),
        Arguments.of(
            "nodefs.available 12% is fine for nodefs",
            host(2 * GI, new FsFigures(100 * GI, 12 * GI, 88 * GI), ROOMY, 100),
            "False",
            "False",
            "False"),
        Arguments.of(
            "pid.available 5% < 10%", host(2 * GI, ROOMY, ROOMY, 31200), "False", "False", "True"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derivesPressureFromHostFigures(
      String name, HostSample host, String memory, String disk, String pid) {
    var conditions = NodePressure.evaluate(host, NodePressure.Thresholds.KUBELET_DEFAULTS);

    assertThat(conditions)
        .extracting(NodePressure.Condition::type, NodePressure.Condition::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("MemoryPressure", memory),
            org.assertj.core.groups.Tuple.tuple("DiskPressure", disk),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", pid));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void usesKubeletsReasonsAndMessages(
      String name, HostSample host, String memory, String disk, String pid) {
    var conditions = NodePressure.evaluate(host, NodePressure.Thresholds.KUBELET_DEFAULTS);

    assertThat(conditions.get(0).reason())
        .isEqualTo(
            memory.equals("True") ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory");
    assertThat(conditions.get(1).reason())
        .isEqualTo(disk.equals("True") ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure");
    assertThat(conditions.get(2).reason())
        .isEqualTo(pid.equals("True") ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID");
    assertThat(conditions.get(0).message())
        .isEqualTo(
            memory.equals("True")
                ? "kubelet has insufficient memory available"
                : "kubelet has sufficient memory available");
  }
}
