package io.flotilla.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies captured from kubectl 1.32 against a loopback listener ({@code kubectl/NAME.pb}), with the
 * JSON kubectl prints for the same command under {@code --dry-run=client -o json} ({@code
 * kubectl/NAME.json}): decoding the wire form must give that JSON.
 */
class KubectlBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> capturedCommands() {
    return Stream.of(
        "create-configmap",
        "create-secret-generic",
        "create-deployment",
        "create-job",
        "create-cronjob",
        "create-service-clusterip",
        "create-service-nodeport",
        "create-namespace",
        "create-serviceaccount",
        "create-quota",
        "create-priorityclass",
        "create-rolebinding",
        "create-clusterrolebinding",
        "create-poddisruptionbudget",
        "create-ingress",
        "auth-can-i-get-pods",
        "auth-can-i-create-deployments-scale",
        "auth-whoami",
        "create-token");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @MethodSource("capturedCommands")
  void decodesWhatKubectlSendsToTheJsonKubectlPrints(String command) throws IOException {
    ObjectNode decoded = ProtobufBodies.decode(resource(command + ".pb"));

    assertThat(decoded).isEqualTo(JSON.readTree(resource(command + ".json")));
  }

  @ParameterizedTest(name = "kubectl {0}")
  @MethodSource("capturedCommands")
  void encodesThatJsonBackIntoTheSameObject(String command) throws IOException {
    JsonNode expected = JSON.readTree(resource(command + ".json"));

    byte[] encoded = ProtobufBodies.encode((ObjectNode) expected);

    assertThat(ProtobufBodies.decode(encoded)).isEqualTo(expected);
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = KubectlBodiesTest.class.getResourceAsStream("kubectl/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
