package io.flotilla.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FieldSelectorTest {
  private static final Map<String, String> FIELDS =
      Map.of("metadata.name", "web-1", "metadata.namespace", "default", "status.phase", "Running");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("", true),
        Arguments.of("metadata.name=web-1", true),
        Arguments.of("metadata.name==web-1", true),
        Arguments.of("metadata.name!=web-1", false),
        Arguments.of("metadata.name=web-1,status.phase!=Pending", true),
        Arguments.of("metadata.name=web-1,status.phase=Pending", false),
        Arguments.of("spec.nodeName=", true),
        Arguments.of("spec.nodeName!=", false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("cases")
  void matchesFields(String selector, boolean expected) {
    assertThat(FieldSelector.parse(selector).matches(f -> FIELDS.getOrDefault(f, "")))
        .isEqualTo(expected);
  }

  @Test
  void unescapesCommasInValues() {
    FieldSelector s = FieldSelector.parse("metadata.name=a\\,b");
    assertThat(s.requiredValue("metadata.name")).isEqualTo("a,b");
  }

  @Test
  void rejectsTermsWithoutAnOperator() {
    assertThatThrownBy(() -> FieldSelector.parse("metadata.name"))
        .hasMessageContaining("invalid selector");
  }

  @Test
  void rejectsUnsupportedFieldsByName() {
    assertThatThrownBy(
            () -> FieldSelector.parse("spec.color=red").checkFields(Set.of("metadata.name")))
        .hasMessage("field label not supported: spec.color");
  }
}
