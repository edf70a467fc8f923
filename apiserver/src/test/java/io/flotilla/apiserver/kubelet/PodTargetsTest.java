package io.flotilla.apiserver.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.apiserver.rest.StatusException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodTargetsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode pod(String spec, String annotation) throws Exception {
    String meta =
        annotation.isEmpty()
            ? "{\"name\":\"p\"}"
            : "{\"name\":\"p\",\"annotations\":{\"kubectl.kubernetes.io/default-container\":\""
                + annotation
                + "\"}}";
    return JSON.readTree("{\"metadata\":" + meta + ",\"spec\":" + spec + "}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "the only container | {\"containers\":[{\"name\":\"a\"}]} | | | a",
        "the named one | {\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]} | b | | b",
        "an init container by name | {\"initContainers\":[{\"name\":\"i\"}],"
            + "\"containers\":[{\"name\":\"a\"}]} | i | | i",
        "an ephemeral container by name | {\"containers\":[{\"name\":\"a\"}],"
            + "\"ephemeralContainers\":[{\"name\":\"debug\"}]} | debug | | debug",
        "the annotated default | {\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]} | | b | b",
        "the only one when the annotation names none | {\"containers\":[{\"name\":\"a\"}]} | | zz"
            + " | a",
      })
  void picksTheContainer(String name, String spec, String requested, String annotation, String want)
      throws Exception {
    assertThat(
            PodTargets.container(
                pod(spec, annotation == null ? "" : annotation),
                requested == null ? "" : requested))
        .isEqualTo(want);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "several containers list all kinds in order | {\"initContainers\":[{\"name\":\"i\"}],"
            + "\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
            + "\"ephemeralContainers\":[{\"name\":\"e\"}]} | | a container name must be specified"
            + " for pod p, choose one of: [i a b e]",
        "no containers | {} | | a container name must be specified for pod p",
        "an unknown name | {\"containers\":[{\"name\":\"a\"}]} | x | container x is not valid for"
            + " pod p",
      })
  void refusesWithUpstreamsMessage(String name, String spec, String requested, String message)
      throws Exception {
    assertThatThrownBy(() -> PodTargets.container(pod(spec, ""), requested))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }
}
