package io.flotilla.apiserver.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangesTest {
  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.96.0.0/12, 10.96.0.1, true",
    "10.96.0.0/12, 10.111.255.254, true",
    "10.96.0.0/12, 10.96.0.0, false",
    "10.96.0.0/12, 10.111.255.255, false",
    "10.96.0.0/12, 10.112.0.1, false",
    "10.96.0.0/12, 10.95.255.255, false",
    "10.96.0.0/12, fd00::1, false",
    "10.96.0.0/12, 010.96.0.1, false",
    "192.168.1.0/24, 192.168.1.77, true"
  })
  void aCidrContainsItsHostAddressesOnly(String cidr, String ip, boolean inside) {
    assertThat(ServiceCidr.parse(cidr).contains(ip)).isEqualTo(inside);
  }

  @Test
  void theFirstAddressIsTheOneAfterTheNetwork() {
    ServiceCidr c = ServiceCidr.parse("10.96.0.0/12");
    assertThat(c.first()).isEqualTo("10.96.0.1");
    assertThat(c.size()).isEqualTo(1 << 20);
    assertThat(c).hasToString("10.96.0.0/12");
  }

  @ParameterizedTest(name = "{0} is rejected: {1}")
  @CsvSource({
    "10.96.0.0, must look like",
    "10.96.0.1/12, has host bits set; the network is 10.96.0.0/12",
    "10.96.0.0/31, between 8 and 30",
    "fd00::/108, IPv4 network",
    "10.96.0.0/x, not a number"
  })
  void aBadCidrIsRejectedWithTheReason(String cidr, String why) {
    assertThatThrownBy(() -> ServiceCidr.parse(cidr)).hasMessageContaining(why);
  }

  @Test
  void portRangesParseBothForms() {
    assertThat(PortRange.parse("30000-32767")).isEqualTo(new PortRange(30000, 32767));
    assertThat(PortRange.parse("30000+100")).isEqualTo(new PortRange(30000, 30099));
    assertThat(PortRange.parse("30000-32767").size()).isEqualTo(2768);
  }

  @ParameterizedTest
  @CsvSource({"32767-30000", "0-10", "30000", "a-b", "30000-70000"})
  void aBadPortRangeIsRejected(String spec) {
    assertThatThrownBy(() -> PortRange.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node port range");
  }
}
