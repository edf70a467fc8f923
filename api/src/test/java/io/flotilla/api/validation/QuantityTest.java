package io.flotilla.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} is {1} and prints as {2}")
  @CsvSource({
    "0, 0, 0",
    "1, 1, 1",
    "100m, 0.1, 100m",
    "0.1, 0.1, 100m",
    "1000m, 1, 1",
    "1500m, 1.5, 1500m",
    "1.5, 1.5, 1500m",
    "2k, 2000, 2k",
    "1500, 1500, 1500",
    "15000, 15000, 15k",
    "1M, 1000000, 1M",
    "5G, 5000000000, 5G",
    "1Ki, 1024, 1Ki",
    "1Mi, 1048576, 1Mi",
    "1.5Gi, 1610612736, 1536Mi",
    "0.5Ki, 512, 512",
    "128974848, 128974848, 128974848",
    "129e6, 129000000, 129e6",
    "1e3, 1000, 1e3",
    "1E3, 1000, 1e3",
    "1.5e3, 1500, 1500",
    "2e-3, 0.002, 2e-3",
    "-1, -1, -1",
    "-100m, -0.1, -100m",
    "+5, 5, 5",
    "1n, 0.000000001, 1n",
    "10u, 0.00001, 10u",
    "0.0000000001, 0.000000001, 1n",
    "1Ti, 1099511627776, 1Ti",
    "2048Ki, 2097152, 2Mi",
    "3Ei, 3458764513820540928, 3Ei",
    "1., 1, 1",
    ".5, 0.5, 500m",
  })
  void parsesAndCanonicalises(String text, String value, String canonical) {
    Quantity q = Quantity.parse(text);
    assertThat(q.value()).isEqualByComparingTo(new BigDecimal(value));
    assertThat(q.toString()).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(
      strings = {
        "",
        "abc",
        "1 Gi",
        "1GB",
        "1Kib",
        "--1",
        "1.2.3",
        "m",
        "1e",
        "0x10",
        "1i",
        "1e1000000"
      })
  void refusesMalformedQuantities(String text) {
    assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesTheExpectedFormatWhenMalformed() {
    assertThatThrownBy(() -> Quantity.parse("abc")).hasMessage(Quantity.FORMAT_ERROR);
  }

  @Test
  void comparesAcrossFormats() {
    assertThat(Quantity.parse("1Ki")).isEqualTo(Quantity.parse("1024"));
    assertThat(Quantity.parse("1Ki").hashCode()).isEqualTo(Quantity.parse("1024").hashCode());
    assertThat(Quantity.parse("500m")).isLessThan(Quantity.parse("1"));
    assertThat(Quantity.parse("1G")).isLessThan(Quantity.parse("1Gi"));
  }

  @Test
  void roundsMilliAndWholeValuesUp() {
    assertThat(Quantity.parse("1500u").milliValue()).isEqualTo(2);
    assertThat(Quantity.parse("100m").milliValue()).isEqualTo(100);
    assertThat(Quantity.parse("1.2").longValue()).isEqualTo(2);
    assertThat(Quantity.parse("2Gi").longValue()).isEqualTo(2147483648L);
  }

  @Test
  void addsAndSubtractsKeepingTheFirstFormat() {
    assertThat(Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1536Mi");
    assertThat(Quantity.parse("1").subtract(Quantity.parse("250m")).toString()).isEqualTo("750m");
    assertThat(Quantity.ofMilli(250).toString()).isEqualTo("250m");
  }

  @Test
  void readsJsonNumbersAndStrings() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertThat(Quantity.fromJson(f.numberNode(2)).toString()).isEqualTo("2");
    assertThat(Quantity.fromJson(f.numberNode(0.5)).toString()).isEqualTo("500m");
    assertThat(Quantity.fromJson(f.textNode("64Mi")).toString()).isEqualTo("64Mi");
    assertThatThrownBy(() -> Quantity.fromJson(f.booleanNode(true)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
