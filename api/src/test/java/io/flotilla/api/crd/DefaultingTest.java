package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.json;
import static io.flotilla.api.crd.Fixtures.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultingTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "fills an absent field",
            "{type: 'object', properties: {replicas: {type: 'integer', default: 1}}}",
            "{}",
            "{replicas: 1}"),
        Arguments.of(
            "keeps a given value",
            "{type: 'object', properties: {replicas: {type: 'integer', default: 1}}}",
            "{replicas: 5}",
            "{replicas: 5}"),
        Arguments.of(
            "replaces null where not nullable",
            "{type: 'object', properties: {a: {type: 'string', default: 'x'}, b: {type: 'string',"
                + " nullable: true, default: 'y'}}}",
            "{a: null, b: null}",
            "{a: 'x', b: null}"),
        Arguments.of(
            "defaults nested fields of a present parent",
            "{type: 'object', properties: {strategy: {type: 'object', properties: {type: {type:"
                + " 'string', default: 'Rolling'}}}}}",
            "{strategy: {}}",
            "{strategy: {type: 'Rolling'}}"),
        Arguments.of(
            "does not create a missing parent",
            "{type: 'object', properties: {strategy: {type: 'object', properties: {type: {type:"
                + " 'string', default: 'Rolling'}}}}}",
            "{}",
            "{}"),
        Arguments.of(
            "a parent with its own default gets its children's defaults too",
            "{type: 'object', properties: {strategy: {type: 'object', default: {}, properties:"
                + " {type: {type: 'string', default: 'Rolling'}, maxSurge: {type: 'integer',"
                + " default: 1}}}}}",
            "{}",
            "{strategy: {type: 'Rolling', maxSurge: 1}}"),
        Arguments.of(
            "defaults every array item",
            "{type: 'object', properties: {ports: {type: 'array', items: {type: 'object',"
                + " properties: {protocol: {type: 'string', default: 'TCP'}}}}}}",
            "{ports: [{port: 80}, {port: 53, protocol: 'UDP'}]}",
            "{ports: [{port: 80, protocol: 'TCP'}, {port: 53, protocol: 'UDP'}]}"),
        Arguments.of(
            "replaces null items with the items default",
            "{type: 'object', properties: {xs: {type: 'array', items: {type: 'integer', default:"
                + " 7}}}}",
            "{xs: [1, null]}",
            "{xs: [1, 7]}"),
        Arguments.of(
            "defaults inside map values",
            "{type: 'object', properties: {m: {type: 'object', additionalProperties: {type:"
                + " 'object', properties: {weight: {type: 'integer', default: 10}}}}}}",
            "{m: {a: {}, b: {weight: 1}}}",
            "{m: {a: {weight: 10}, b: {weight: 1}}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesStructuralDefaultsLikeUpstream(
      String name, String specSchema, String spec, String expected) {
    ObjectNode object = object("{metadata: {name: 'w'}}");
    object.set("spec", json(spec));

    Fixtures.specBehavior(specSchema).applyDefaults(object);

    assertThat(object.get("spec")).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void defaultsAreCopiesNotShared(String name, String specSchema, String spec, String expected) {
    var behavior = Fixtures.specBehavior(specSchema);
    ObjectNode first = object("{}");
    first.set("spec", json(spec));
    ObjectNode second = first.deepCopy();
    behavior.applyDefaults(first);
    behavior.applyDefaults(second);

    if (first.get("spec").isObject()) {
      ((ObjectNode) first.get("spec")).put("mutated", true);
    }

    assertThat(second.get("spec")).isEqualTo(json(expected));
  }
}
