package io.flotilla.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.api.FieldError;
import java.io.UncheckedIOException;
import java.util.List;

/** Objects written as YAML in tests, and assertions over field errors. */
final class TestObjects {
  private TestObjects() {}

  private static final YAMLMapper YAML = new YAMLMapper();

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defaults then validates an object as the apiserver does (old, if given, is defaulted too). */
  static List<FieldError> check(String apiVersion, String kind, String text, String old) {
    io.flotilla.api.GroupVersionKind gvk = io.flotilla.api.GroupVersionKind.of(apiVersion, kind);
    ObjectNode object = yaml(text);
    Defaults.apply(gvk, object);
    ObjectNode before = null;
    if (old != null) {
      before = yaml(old);
      Defaults.apply(gvk, before);
    }
    return Validation.validate(gvk, object, before);
  }

  /** Equality of trees in which 1 (int) equals 1 (long). */
  static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) -> {
          if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
          }
          return x.equals(y) ? 0 : 1;
        },
        b);
  }

  static void assertSameJson(JsonNode actual, JsonNode expected) {
    assertThat(sameJson(actual, expected))
        .as("expected %s%nbut was  %s", expected.toPrettyString(), actual.toPrettyString())
        .isTrue();
  }

  /** Asserts one error has this type and field (and, when given, a message containing text). */
  static void assertHasError(List<FieldError> errors, String type, String field, String text) {
    assertThat(errors)
        .as("errors %s", errors)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(type);
              assertThat(e.field()).isEqualTo(field);
              if (text != null) {
                assertThat(e.message()).contains(text);
              }
            });
  }
}
