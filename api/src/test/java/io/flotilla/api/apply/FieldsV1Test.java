package io.flotilla.api.apply;

import static io.flotilla.api.apply.ApplyFixtures.CUSTOM;
import static io.flotilla.api.apply.ApplyFixtures.DEPLOYMENT;
import static io.flotilla.api.apply.ApplyFixtures.deployment;
import static io.flotilla.api.apply.ApplyFixtures.json;
import static io.flotilla.api.apply.ApplyFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsV1Test {

  @Test
  void aDeploymentsFieldsKeyContainersByNameAndPortsByPortAndProtocol() {
    FieldSet set = ObjectFields.of(deployment(2, "nginx:1"), DEPLOYMENT);

    assertThat(FieldsV1.encode(set))
        .isEqualTo(
            json(
                """
                {"f:metadata":{"f:labels":{"f:app":{}}},
                 "f:spec":{"f:replicas":{},"f:selector":{},
                  "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                   "f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{},
                    "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}
                """));
  }

  @Test
  void aCreatingUpdateAlsoOwnsTheMapsAndListsItAdded() {
    ObjectNode created = deployment(2, "nginx:1");
    ApplyFixtures.deployments().recordUpdate(null, created, "kubectl-create", "t");

    assertThat(created.at("/metadata/managedFields/0/fieldsV1"))
        .isEqualTo(
            json(
                """
                {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                 "f:spec":{"f:replicas":{},"f:selector":{},
                  "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                   "f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{},
                    "f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}
                """));
  }

  @Test
  void identityAndServerOwnedMetadataBelongToNoManager() {
    FieldSet set =
        ObjectFields.of(
            yaml(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, namespace: b, uid: u, resourceVersion: "3", generation: 2,
                  creationTimestamp: "2026-01-01T00:00:00Z", annotations: {x: y}}
                data: {k: v}
                """),
            CUSTOM);

    assertThat(set.paths())
        .containsExactly(FieldPath.of("data", "k"), FieldPath.of("metadata", "annotations", "x"));
  }

  static Stream<String> encodings() {
    return Stream.of(
        "{\"f:spec\":{\"f:replicas\":{}}}",
        "{\"f:metadata\":{\"f:finalizers\":{\".\":{},\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{}}}}",
        "{\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:port\":{}}}}}",
        "{\"f:data\":{\"i:0\":{},\"i:3\":{}}}");
  }

  @ParameterizedTest
  @MethodSource("encodings")
  void decodingThenEncodingGivesTheSameTrie(String text) {
    assertThat(FieldsV1.encode(FieldsV1.decode(json(text)))).isEqualTo(json(text));
  }

  @Test
  void aDotMarksAnItemThatAlsoHasFields() {
    FieldSet set =
        FieldsV1.decode(json("{\"f:a\":{\"k:{\\\"name\\\":\\\"x\\\"}\":{\".\":{},\"f:v\":{}}}}"));

    PathElement key = new PathElement.Key(Map.of("name", json("\"x\"")));
    FieldPath item = FieldPath.of("a").child(key);
    assertThat(set.paths()).containsExactly(item, item.child("v"));
    assertThat(item.child("v").toString()).isEqualTo(".a[name=\"x\"].v");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"x:a\":{}}", "{\"f:a\":1}", "{\"k:notjson\":{}}", "[]"})
  void malformedFieldsAreRefusedNamingTheProblem(String text) {
    assertThatThrownBy(() -> FieldsV1.decode(json(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FieldsV1");
  }

  @Test
  void customResourcesTreatListsAsAtomicAndMapsAsGranular() {
    FieldSet set =
        ObjectFields.of(yaml("spec: {items: [{name: a}, {name: b}], sizes: {s: 1}}"), CUSTOM);

    assertThat(set.paths())
        .containsExactly(FieldPath.of("spec", "items"), FieldPath.of("spec", "sizes", "s"));
  }
}
