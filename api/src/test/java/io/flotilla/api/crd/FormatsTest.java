package io.flotilla.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "date-time, 2024-05-01T12:00:00Z, true",
    "date-time, 2024-05-01, false",
    "date, 2024-05-01, true",
    "date, 2024-13-01, false",
    "byte, aGVsbG8=, true",
    "byte, not base64!, false",
    "uuid, 123e4567-e89b-12d3-a456-426614174000, true",
    "uuid, 123e4567, false",
    "ipv4, 10.0.0.1, true",
    "ipv4, 10.0.0.256, false",
    "ipv6, ::1, true",
    "ipv6, 1:2:3, false",
    "cidr, 10.0.0.0/8, true",
    "cidr, 10.0.0.0/33, false",
    "hostname, web-1.example.com, true",
    "hostname, -web, false",
    "email, ops@example.com, true",
    "email, ops, false",
    "uri, https://example.com/x, true",
    "uri, /relative, false",
    "duration, 1h30m, true",
    "duration, soon, false",
    "int32, anything, true",
    "unknown-format, anything, true"
  })
  void checksTheStringFormatsUpstreamChecks(String format, String value, boolean valid) {
    assertThat(Formats.valid(format, value)).isEqualTo(valid);
  }
}
