package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.json;
import static io.flotilla.api.crd.Fixtures.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CelRulesTest {
  private static final String SPEC =
      "{type: 'object', x-kubernetes-validations: [%s], properties: {replicas: {type:"
          + " 'integer'}, maxReplicas: {type: 'integer'}, ratio: {type: 'number'}, name: {type:"
          + " 'string'}, tags: {type: 'array', items: {type: 'string', x-kubernetes-validations:"
          + " [{rule: 'self.size() <= 3', message: 'tag too long'}]}}}}";

  private static ObjectNode widget(String spec) {
    ObjectNode w = object("{metadata: {name: 'w'}}");
    w.set("spec", json(spec));
    return w;
  }

  private static List<String> errors(String rules, String spec, String oldSpec) {
    var behavior = Fixtures.specBehavior(SPEC.formatted(rules));
    return behavior.validate(widget(spec), oldSpec == null ? null : widget(oldSpec)).stream()
        .map(e -> e.type() + " " + e.field() + ": " + e.message())
        .toList();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "rule holds",
            "{rule: 'self.replicas <= self.maxReplicas'}",
            "{replicas: 1, maxReplicas: 2}",
            null,
            List.of()),
        Arguments.of(
            "rule fails with its message",
            "{rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas'}",
            "{replicas: 3, maxReplicas: 2}",
            null,
            List.of(
                "FieldValueInvalid spec: Invalid value: \"object\": replicas must not exceed maxReplicas")),
        Arguments.of(
            "default message names the rule",
            "{rule: 'self.replicas <= self.maxReplicas'}",
            "{replicas: 3, maxReplicas: 2}",
            null,
            List.of(
                "FieldValueInvalid spec: Invalid value: \"object\": failed rule: self.replicas <= self.maxReplicas")),
        Arguments.of(
            "messageExpression, reason and fieldPath",
            "{rule: 'self.replicas <= self.maxReplicas', messageExpression: '\"replicas is \" + string(self.replicas)', reason: 'FieldValueForbidden', fieldPath: '.replicas'}",
            "{replicas: 3, maxReplicas: 2}",
            null,
            List.of("FieldValueForbidden spec.replicas: Forbidden: replicas is 3")),
        Arguments.of(
            "has() on an optional field",
            "{rule: '!has(self.name) || self.name.startsWith(\"w\")'}",
            "{name: 'gadget'}",
            null,
            List.of(
                "FieldValueInvalid spec: Invalid value: \"object\": failed rule: !has(self.name) || self.name.startsWith(\"w\")")),
        Arguments.of(
            "numbers written as integers are doubles",
            "{rule: 'self.ratio > 0.5'}",
            "{ratio: 1}",
            null,
            List.of()),
        Arguments.of(
            "rules on array items name the item",
            "{rule: 'true'}",
            "{tags: ['a', 'long']}",
            null,
            List.of("FieldValueInvalid spec.tags[1]: Invalid value: \"string\": tag too long")),
        Arguments.of(
            "transition rule skipped on create",
            "{rule: 'self.name == oldSelf.name', message: 'name is immutable'}",
            "{name: 'b'}",
            null,
            List.of()),
        Arguments.of(
            "transition rule checked on update",
            "{rule: 'self.name == oldSelf.name', message: 'name is immutable'}",
            "{name: 'b'}",
            "{name: 'a'}",
            List.of("FieldValueInvalid spec: Invalid value: \"object\": name is immutable")),
        Arguments.of(
            "type errors block the rules",
            "{rule: 'false'}",
            "{replicas: 'x'}",
            null,
            List.of(
                "FieldValueTypeInvalid spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
                "FieldValueInvalid : Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")),
        Arguments.of(
            "evaluation error names the rule",
            "{rule: 'self.replicas > 0'}",
            "{}",
            null,
            List.of(
                "FieldValueInvalid spec: Invalid value: \"object\": no such key: replicas evaluating rule: self.replicas > 0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluatesRulesWithSelfAndOldSelf(
      String name, String rules, String spec, String oldSpec, List<String> expected) {
    assertThat(errors(rules, spec, oldSpec)).containsExactlyElementsOf(expected);
  }

  @Test
  void rejectsRulesThatDoNotCompileWhenTheCrdIsValidated() {
    ObjectNode crd = CrdDefinitionsTest.widgets();
    ((ObjectNode) crd.at("/spec/versions/1/schema/openAPIV3Schema/properties/spec"))
        .putArray("x-kubernetes-validations")
        .addObject()
        .put("rule", "self.replicas <=");

    List<FieldError> errors = CrdDefinitions.validate(crd);

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field())
                  .isEqualTo(
                      "spec.versions[1].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule");
              assertThat(e.message())
                  .startsWith("Invalid value: \"self.replicas <=\": compilation failed: ");
            });
  }
}
