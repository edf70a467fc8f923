package io.flotilla.apiserver.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.apiserver.rest.StatusException;
import org.junit.jupiter.api.Test;

class KubeletEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void prefersTheInternalIpAndThePublishedPort() throws Exception {
    var node =
        JSON.readTree(
            """
            {"metadata":{"name":"n"},"status":{
              "addresses":[{"type":"Hostname","address":"host-a"},
                           {"type":"ExternalIP","address":"203.0.113.5"},
                           {"type":"InternalIP","address":"10.0.0.7"}],
              "daemonEndpoints":{"kubeletEndpoint":{"Port":11250}}}}
            """);

    assertThat(KubeletEndpoint.of(node, KubeletEndpoint.DEFAULT_ADDRESS_TYPES))
        .isEqualTo(new KubeletEndpoint("n", "10.0.0.7", 11250));
  }

  @Test
  void fallsBackToTheHostNameAndTheDefaultPort() throws Exception {
    var node =
        JSON.readTree(
            "{\"metadata\":{\"name\":\"n\"},\"status\":{\"addresses\":"
                + "[{\"type\":\"Hostname\",\"address\":\"host-a\"}]}}");

    KubeletEndpoint e = KubeletEndpoint.of(node, KubeletEndpoint.DEFAULT_ADDRESS_TYPES);

    assertThat(e.authority()).isEqualTo("host-a:10250");
  }

  @Test
  void aNodeWithoutAddressesIsUnavailableAndNamed() throws Exception {
    var node = JSON.readTree("{\"metadata\":{\"name\":\"bare\"},\"status\":{}}");

    assertThatThrownBy(() -> KubeletEndpoint.of(node, KubeletEndpoint.DEFAULT_ADDRESS_TYPES))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.code()).isEqualTo(503);
              assertThat(e.getMessage()).contains("node \"bare\"");
            });
  }

  @Test
  void bracketsIpv6Addresses() {
    assertThat(new KubeletEndpoint("n", "fd00::1", 10250).authority()).isEqualTo("[fd00::1]:10250");
  }
}
