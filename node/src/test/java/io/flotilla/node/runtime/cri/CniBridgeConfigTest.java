package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniBridgeConfigTest {

  @Test
  void writesABridgeWithHostLocalAddressesAndPortmap(@TempDir Path dir) throws Exception {
    var config = new CniBridgeConfig("pods", "flotilla0", "10.244.3.0/24", dir.resolve("ipam"));

    Path file = config.write(dir.resolve("net.d"));

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(file.getFileName().toString()).isEqualTo("10-flotilla.conflist");
    assertThat(json.path("cniVersion").asText()).isEqualTo("0.4.0");
    assertThat(json.path("name").asText()).isEqualTo("pods");
    JsonNode bridge = json.path("plugins").path(0);
    assertThat(bridge.path("type").asText()).isEqualTo("bridge");
    assertThat(bridge.path("bridge").asText()).isEqualTo("flotilla0");
    assertThat(bridge.path("isGateway").asBoolean()).isTrue();
    assertThat(bridge.path("ipam").path("type").asText()).isEqualTo("host-local");
    assertThat(bridge.path("ipam").path("ranges").path(0).path(0).path("subnet").asText())
        .isEqualTo("10.244.3.0/24");
    assertThat(bridge.path("ipam").path("dataDir").asText())
        .isEqualTo(dir.resolve("ipam").toString());
    assertThat(json.path("plugins")).hasSize(1);
  }

  @Test
  void rejectsABridgeNameLongerThanAnInterfaceName() {
    assertThatThrownBy(
            () -> new CniBridgeConfig("pods", "a-very-long-bridge", "10.244.0.0/24", Path.of("/x")))
        .hasMessageContaining("must have 1 to 15 characters");
  }

  @Test
  void rejectsAPodCidrThatIsNotIpv4() {
    assertThatThrownBy(() -> new CniBridgeConfig("pods", "br0", "10.244.0.0", Path.of("/x")))
        .hasMessageContaining("is not an IPv4 CIDR");
  }
}
