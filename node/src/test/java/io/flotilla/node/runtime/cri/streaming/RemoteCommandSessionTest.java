package io.flotilla.node.runtime.cri.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteCommandSessionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "success|{\"metadata\":{},\"status\":\"Success\"}|0",
        "no status (detached)||0",
        "exit 3|{\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code\","
            + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
            + "\"message\":\"3\"}]}}|3",
        "exit 137|{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
            + "[{\"reason\":\"ExitCode\",\"message\":\"137\"}]}}|137",
      })
  void readsTheExitCodeFromAV4Status(String name, String status, int code) {
    byte[] bytes = status == null ? new byte[0] : status.getBytes(StandardCharsets.UTF_8);

    assertThat(RemoteCommandSession.exitCode(bytes)).isEqualTo(code);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "failure without a code|{\"status\":\"Failure\",\"message\":\"executable file not found\"}"
            + "|executable file not found",
        "plain text (a v1 server)|container not running|container not running",
      })
  void turnsOtherFailuresIntoErrorsWithTheRuntimesMessage(
      String name, String status, String message) {
    assertThatThrownBy(() -> RemoteCommandSession.exitCode(status.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message);
  }
}
