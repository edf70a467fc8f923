package io.flotilla.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamesTest {

  static Stream<Arguments> names() {
    Function<String, List<String>> label = Names::dns1123Label;
    Function<String, List<String>> subdomain = Names::dns1123Subdomain;
    Function<String, List<String>> dns1035 = Names::dns1035Label;
    Function<String, List<String>> qualified = Names::qualifiedName;
    Function<String, List<String>> value = Names::labelValue;
    Function<String, List<String>> configKey = Names::configMapKey;
    Function<String, List<String>> env = Names::envVarName;
    Function<String, List<String>> segment = Names::pathSegmentName;
    Function<String, List<String>> port = Names::portName;
    return Stream.of(
        Arguments.of("label: simple", label, "my-name", true),
        Arguments.of("label: digits first", label, "123-abc", true),
        Arguments.of("label: 63 chars", label, "a".repeat(63), true),
        Arguments.of("label: 64 chars", label, "a".repeat(64), false),
        Arguments.of("label: upper case", label, "MyName", false),
        Arguments.of("label: dots", label, "a.b", false),
        Arguments.of("label: trailing dash", label, "abc-", false),
        Arguments.of("label: empty", label, "", false),
        Arguments.of("subdomain: dotted", subdomain, "example.com", true),
        Arguments.of(
            "subdomain: 253 chars", subdomain, ("a".repeat(62) + ".").repeat(4) + "a", true),
        Arguments.of("subdomain: 254 chars", subdomain, "a".repeat(254), false),
        Arguments.of("subdomain: underscore", subdomain, "my_name", false),
        Arguments.of("subdomain: double dot", subdomain, "a..b", false),
        Arguments.of("dns1035: letter first", dns1035, "web-1", true),
        Arguments.of("dns1035: digit first", dns1035, "1web", false),
        Arguments.of("qualified: plain", qualified, "app", true),
        Arguments.of("qualified: prefixed", qualified, "app.kubernetes.io/name", true),
        Arguments.of("qualified: mixed case and underscore", qualified, "My_Key.1", true),
        Arguments.of("qualified: empty prefix", qualified, "/name", false),
        Arguments.of("qualified: empty name", qualified, "example.com/", false),
        Arguments.of("qualified: two slashes", qualified, "a/b/c", false),
        Arguments.of("qualified: name 64 chars", qualified, "x".repeat(64), false),
        Arguments.of("qualified: bad prefix", qualified, "Example.com/name", false),
        Arguments.of("qualified: leading dash", qualified, "-app", false),
        Arguments.of("label value: empty", value, "", true),
        Arguments.of("label value: dotted", value, "v1.2_3-x", true),
        Arguments.of("label value: space", value, "a b", false),
        Arguments.of("label value: 64 chars", value, "v".repeat(64), false),
        Arguments.of("config key: dotfile", configKey, ".env", true),
        Arguments.of("config key: slash", configKey, "a/b", false),
        Arguments.of("config key: dot dot", configKey, "..data", false),
        Arguments.of("env: dotted", env, "MY_ENV.NAME", true),
        Arguments.of("env: digit first", env, "1ABC", false),
        Arguments.of("path segment: colon", segment, "system:controller", true),
        Arguments.of("path segment: slash", segment, "a/b", false),
        Arguments.of("path segment: dot dot", segment, "..", false),
        Arguments.of("port name: http", port, "http", true),
        Arguments.of("port name: digits only", port, "8080", false),
        Arguments.of("port name: 16 chars", port, "abcdefghijklmnop", false),
        Arguments.of("port name: double hyphen", port, "a--b", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void checksNamesAsUpstreamDoes(
      String description, Function<String, List<String>> check, String value, boolean valid) {
    assertThat(check.apply(value).isEmpty()).as(value).isEqualTo(valid);
  }

  @Test
  void wordsSubdomainErrorsAsUpstream() {
    assertThat(Names.dns1123Subdomain("Bad_Name"))
        .containsExactly(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
                + " '-' or '.', and must start and end with an alphanumeric character (e.g."
                + " 'example.com', regex used for validation is"
                + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }

  @Test
  void wordsLabelErrorsWithBothExamples() {
    assertThat(Names.dns1123Label("Bad"))
        .containsExactly(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or"
                + " '-', and must start and end with an alphanumeric character (e.g. 'my-name', "
                + " or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void reportsDotsInLabelsPlainly() {
    assertThat(Names.dns1123Label("a.b")).containsExactly("must not contain dots");
  }

  @Test
  void prefixesQualifiedNamePartsInMessages() {
    assertThat(Names.qualifiedName("Bad.Prefix/ok"))
        .hasSize(1)
        .first()
        .asString()
        .startsWith("prefix part a lowercase RFC 1123 subdomain");
    assertThat(Names.qualifiedName("x".repeat(64)))
        .contains("name part must be no more than 63 characters");
  }

  @Test
  void generateNamePrefixesMayEndInADash() {
    assertThat(NameRule.DNS_SUBDOMAIN.check("web-", true)).isEmpty();
    assertThat(NameRule.DNS_SUBDOMAIN.check("web-", false)).isNotEmpty();
  }
}
