package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.json;
import static io.flotilla.api.crd.Fixtures.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PruningTest {

  private static final String ROOT =
      "{type: 'object', properties: {spec: {type: 'object', properties: {replicas: {type:"
          + " 'integer'}, template: {type: 'object', properties: {image: {type: 'string'}}},"
          + " items: {type: 'array', items: {type: 'object', properties: {name: {type:"
          + " 'string'}}}}, free: {type: 'object', x-kubernetes-preserve-unknown-fields: true,"
          + " properties: {known: {type: 'object', properties: {a: {type: 'string'}}}}}, labels:"
          + " {type: 'object', additionalProperties: {type: 'object', properties: {v: {type:"
          + " 'string'}}}}, embedded: {type: 'object', x-kubernetes-embedded-resource: true,"
          + " properties: {spec: {type: 'object', properties: {x: {type: 'string'}}}}}}}}}";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "keeps known fields and the resource fields",
            "{apiVersion: 'a/v1', kind: 'W', metadata: {name: 'w', labels: {a: 'b'}}, spec:"
                + " {replicas: 1}}",
            "{apiVersion: 'a/v1', kind: 'W', metadata: {name: 'w', labels: {a: 'b'}}, spec:"
                + " {replicas: 1}}",
            List.of()),
        Arguments.of(
            "drops unknown fields at the root and nested",
            "{status: {}, spec: {replicas: 1, colour: 'red', template: {image: 'x', pull:"
                + " 'always'}}}",
            "{spec: {replicas: 1, template: {image: 'x'}}}",
            List.of("status", "spec.colour", "spec.template.pull")),
        Arguments.of(
            "names array items by index",
            "{spec: {items: [{name: 'a'}, {name: 'b', extra: 1}]}}",
            "{spec: {items: [{name: 'a'}, {name: 'b'}]}}",
            List.of("spec.items[1].extra")),
        Arguments.of(
            "preserve-unknown-fields keeps unknown fields but prunes known ones",
            "{spec: {free: {anything: {goes: 1}, known: {a: 'x', b: 'y'}}}}",
            "{spec: {free: {anything: {goes: 1}, known: {a: 'x'}}}}",
            List.of("spec.free.known.b")),
        Arguments.of(
            "prunes inside map values",
            "{spec: {labels: {one: {v: 'x', w: 'y'}}}}",
            "{spec: {labels: {one: {v: 'x'}}}}",
            List.of("spec.labels.one.w")),
        Arguments.of(
            "embedded resources keep apiVersion, kind and metadata",
            "{spec: {embedded: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {x:"
                + " 'a', y: 'b'}, other: 1}}}",
            "{spec: {embedded: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {x:"
                + " 'a'}}}}",
            List.of("spec.embedded.spec.y", "spec.embedded.other")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prunesUnknownFieldsAndReportsTheirPaths(
      String name, String input, String expected, List<String> pruned) {
    ObjectNode object = object(input);

    List<String> paths = Fixtures.behavior(ROOT).prune(object);

    assertThat(object).isEqualTo(json(expected));
    assertThat(paths).containsExactlyInAnyOrderElementsOf(pruned);
  }
}
