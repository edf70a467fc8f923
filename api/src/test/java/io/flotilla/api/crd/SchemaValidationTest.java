package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.object;
import static io.flotilla.api.crd.Fixtures.specBehavior;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaValidationTest {

  private static Arguments rejects(String name, String specSchema, String spec, String... errors) {
    return Arguments.of(name, specSchema, spec, List.of(errors));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        rejects(
            "wrong type",
            "{type: 'object', properties: {replicas: {type: 'integer'}}}",
            "{replicas: 'three'}",
            "FieldValueTypeInvalid spec.replicas: Invalid value: \"string\": spec.replicas in body"
                + " must be of type integer: \"string\""),
        rejects(
            "a whole float is an integer",
            "{type: 'object', properties: {replicas: {type: 'integer'}}}",
            "{replicas: 3.0}"),
        rejects(
            "a fraction is not an integer",
            "{type: 'object', properties: {replicas: {type: 'integer'}}}",
            "{replicas: 2.5}",
            "FieldValueTypeInvalid spec.replicas: Invalid value: \"number\": spec.replicas in body"
                + " must be of type integer: \"number\""),
        rejects(
            "required field",
            "{type: 'object', required: ['replicas'], properties: {replicas: {type: 'integer'}}}",
            "{}",
            "FieldValueRequired spec.replicas: Required value"),
        rejects(
            "enum lists the supported values",
            "{type: 'object', properties: {color: {type: 'string', enum: ['red', 'blue']}}}",
            "{color: 'pink'}",
            "FieldValueNotSupported spec.color: Unsupported value: \"pink\": supported values:"
                + " \"red\", \"blue\""),
        rejects(
            "pattern",
            "{type: 'object', properties: {name: {type: 'string', pattern: '^[a-z]+$'}}}",
            "{name: 'Web'}",
            "FieldValueInvalid spec.name: Invalid value: \"Web\": spec.name in body should match"
                + " '^[a-z]+$'"),
        rejects(
            "date-time format",
            "{type: 'object', properties: {at: {type: 'string', format: 'date-time'}}}",
            "{at: 'yesterday'}",
            "FieldValueInvalid spec.at: Invalid value: \"yesterday\": spec.at in body must be of"
                + " type date-time: \"yesterday\""),
        rejects(
            "int32 is not checked, as upstream",
            "{type: 'object', properties: {n: {type: 'integer', format: 'int32'}}}",
            "{n: 9999999999}"),
        rejects(
            "minimum and exclusive maximum",
            "{type: 'object', properties: {a: {type: 'integer', minimum: 1}, b: {type: 'number',"
                + " maximum: 10, exclusiveMaximum: true}}}",
            "{a: 0, b: 10}",
            "FieldValueInvalid spec.a: Invalid value: 0: spec.a in body should be greater than or"
                + " equal to 1",
            "FieldValueInvalid spec.b: Invalid value: 10: spec.b in body should be less than 10"),
        rejects(
            "multipleOf",
            "{type: 'object', properties: {n: {type: 'integer', multipleOf: 5}}}",
            "{n: 12}",
            "FieldValueInvalid spec.n: Invalid value: 12: spec.n in body should be a multiple of"
                + " 5"),
        rejects(
            "string lengths",
            "{type: 'object', properties: {a: {type: 'string', maxLength: 3}, b: {type: 'string',"
                + " minLength: 2}}}",
            "{a: 'abcd', b: 'x'}",
            "FieldValueTooLong spec.a: Too long: may not be more than 3 bytes",
            "FieldValueInvalid spec.b: Invalid value: \"x\": spec.b in body should be at least 2"
                + " chars long"),
        rejects(
            "item counts",
            "{type: 'object', properties: {a: {type: 'array', maxItems: 1, items: {type:"
                + " 'string'}}, b: {type: 'array', minItems: 1, items: {type: 'string'}}}}",
            "{a: ['x', 'y'], b: []}",
            "FieldValueTooMany spec.a: Too many: 2: must have at most 1 items",
            "FieldValueInvalid spec.b: Invalid value: []: spec.b in body should have at least 1"
                + " items"),
        rejects(
            "uniqueItems",
            "{type: 'object', properties: {a: {type: 'array', uniqueItems: true, items: {type:"
                + " 'integer'}}}}",
            "{a: [1, 2, 1]}",
            "FieldValueInvalid spec.a: Invalid value: [1,2,1]: spec.a in body shouldn't contain"
                + " duplicates"),
        rejects(
            "property counts",
            "{type: 'object', properties: {m: {type: 'object', maxProperties: 1,"
                + " additionalProperties: {type: 'string'}}, n: {type: 'object', minProperties:"
                + " 1, additionalProperties: {type: 'string'}}}}",
            "{m: {a: 'x', b: 'y'}, n: {}}",
            "FieldValueTooMany spec.m: Too many: 2: must have at most 1 items",
            "FieldValueInvalid spec.n: Invalid value: {}: spec.n in body should have at least 1"
                + " properties"),
        rejects(
            "null only where nullable",
            "{type: 'object', properties: {a: {type: 'string', nullable: true}, b: {type:"
                + " 'string'}}}",
            "{a: null, b: null}",
            "FieldValueTypeInvalid spec.b: Invalid value: \"null\": spec.b in body must be of type"
                + " string: \"null\""),
        rejects(
            "additionalProperties schema applies to map values",
            "{type: 'object', properties: {labels: {type: 'object', additionalProperties: {type:"
                + " 'string'}}}}",
            "{labels: {a: 'x', b: 2}}",
            "FieldValueTypeInvalid spec.labels.b: Invalid value: \"integer\": spec.labels.b in"
                + " body must be of type string: \"integer\""),
        rejects(
            "additionalProperties false forbids other properties",
            "{type: 'object', properties: {m: {type: 'object', additionalProperties: false}}}",
            "{m: {a: 1}}",
            "FieldValueForbidden spec.m.a: Forbidden: spec.m.a in body is a forbidden property"),
        rejects(
            "anyOf needs one match",
            "{type: 'object', anyOf: [{required: ['a']}, {required: ['b']}], properties: {a:"
                + " {type: 'string'}, b: {type: 'string'}}}",
            "{}",
            "FieldValueInvalid spec: Invalid value: \"object\": spec in body must validate at least"
                + " one schema (anyOf)"),
        rejects(
            "oneOf needs exactly one match",
            "{type: 'object', oneOf: [{required: ['a']}, {required: ['b']}], properties: {a:"
                + " {type: 'string'}, b: {type: 'string'}}}",
            "{a: 'x', b: 'y'}",
            "FieldValueInvalid spec: Invalid value: \"object\": spec in body must validate one and"
                + " only one schema (oneOf)"),
        rejects(
            "allOf and not",
            "{type: 'object', properties: {n: {type: 'integer', allOf: [{minimum: 0}], not:"
                + " {enum: [13]}}}}",
            "{n: 13}",
            "FieldValueInvalid spec.n: Invalid value: \"integer\": spec.n in body must not validate"
                + " the schema (not)"),
        rejects(
            "int-or-string takes both and nothing else",
            "{type: 'object', properties: {a: {x-kubernetes-int-or-string: true}, b:"
                + " {x-kubernetes-int-or-string: true}, c: {x-kubernetes-int-or-string: true}}}",
            "{a: 80, b: '50%', c: true}",
            "FieldValueTypeInvalid spec.c: Invalid value: \"boolean\": spec.c in body must be of"
                + " type integer,string: \"boolean\""),
        rejects(
            "embedded resource needs apiVersion and kind",
            "{type: 'object', properties: {template: {type: 'object',"
                + " x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields:"
                + " true}}}",
            "{template: {metadata: {name: 'x'}}}",
            "FieldValueRequired spec.template.apiVersion: Required value: must not be empty",
            "FieldValueRequired spec.template.kind: Required value: must not be empty"),
        rejects(
            "list-type set rejects duplicates",
            "{type: 'object', properties: {tags: {type: 'array', x-kubernetes-list-type: 'set',"
                + " items: {type: 'string'}}}}",
            "{tags: ['a', 'b', 'a']}",
            "FieldValueDuplicate spec.tags[2]: Duplicate value: \"a\""),
        rejects(
            "list-type map rejects duplicate keys",
            "{type: 'object', properties: {ports: {type: 'array', x-kubernetes-list-type: 'map',"
                + " x-kubernetes-list-map-keys: ['port', 'protocol'], items: {type: 'object',"
                + " properties: {port: {type: 'integer'}, protocol: {type: 'string'}, name: {type:"
                + " 'string'}}}}}}",
            "{ports: [{port: 80, protocol: 'TCP', name: 'a'}, {port: 80, protocol: 'UDP'}, {port:"
                + " 80, protocol: 'TCP', name: 'b'}]}",
            "FieldValueDuplicate spec.ports[2]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}"),
        rejects(
            "errors inside array items name the index",
            "{type: 'object', properties: {items: {type: 'array', items: {type: 'object',"
                + " required: ['name'], properties: {name: {type: 'string'}}}}}}",
            "{items: [{name: 'a'}, {}]}",
            "FieldValueRequired spec.items[1].name: Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsUpstreamPathsCausesAndMessages(
      String name, String specSchema, String spec, List<String> expected) {
    ObjectNode object =
        object("{apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}}");
    object.set("spec", Fixtures.json(spec));

    List<FieldError> errors = specBehavior(specSchema).validate(object, null);

    assertThat(errors.stream().map(e -> e.type() + " " + e.field() + ": " + e.message()))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void validatesRestrictedMetadataNameButNothingElseInMetadata() {
    var behavior =
        Fixtures.behavior(
            "{type: 'object', properties: {metadata: {type: 'object', properties: {name: {type:"
                + " 'string', maxLength: 5}}}}}");
    ObjectNode object =
        object("{metadata: {name: 'much-too-long', labels: {a: 'b'}, generation: 3}}");

    assertThat(behavior.validate(object, null))
        .containsExactly(
            new FieldError(
                "FieldValueTooLong", "metadata.name", "Too long: may not be more than 5 bytes"));
  }

  @Test
  void acceptsAnythingWithoutASchema() {
    var version = object("{name: 'v1', served: true, storage: true}");

    assertThat(new CustomResourceBehavior(version).validate(object("{spec: 1}"), null)).isEmpty();
  }
}
