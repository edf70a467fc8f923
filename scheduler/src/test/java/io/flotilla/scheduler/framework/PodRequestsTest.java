package io.flotilla.scheduler.framework;

import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.scheduler.testutil.TestPods;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodRequestsTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "containers add up", pod("p").container("cpu", "1").container("cpu", "500m"), 1500),
        Arguments.of(
            "an init container larger than the containers wins",
            pod("p").container("cpu", "1").initContainer("cpu", "3"),
            3000),
        Arguments.of(
            "a sidecar runs beside the containers",
            pod("p").sidecar("cpu", "1").container("cpu", "1"),
            2000),
        Arguments.of(
            "an init container after a sidecar runs beside it",
            pod("p").sidecar("cpu", "1").initContainer("cpu", "2").container("cpu", "1"),
            3000),
        Arguments.of(
            "an init container before a sidecar runs alone",
            pod("p").initContainer("cpu", "2").sidecar("cpu", "1").container("cpu", "1"),
            2000),
        Arguments.of("overhead adds", pod("p").container("cpu", "1").overhead("cpu", "250m"), 1250),
        Arguments.of("fractional millicores round up", pod("p").container("cpu", "0.0001"), 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void computesCpuRequests(String name, TestPods pod, long milliCpu) {
    assertThat(PodRequests.of(pod.build().getSpec()).milliCpu()).isEqualTo(milliCpu);
  }
}
