package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CrdDefinitionsTest {
  private static final String V1_SCHEMA = "/spec/versions/1/schema/openAPIV3Schema";
  private static final String V1_SPEC = V1_SCHEMA + "/properties/spec/properties";

  static ObjectNode widgets() {
    try (InputStream in = CrdDefinitionsTest.class.getResourceAsStream("widgets-crd.yaml")) {
      ObjectNode crd = Fixtures.yaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      CrdDefinitions.applyDefaults(crd);
      return crd;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode at(ObjectNode crd, String pointer) {
    return (ObjectNode) crd.at(pointer);
  }

  private static Arguments rejects(
      String name, Consumer<ObjectNode> change, String type, String field, String message) {
    return Arguments.of(name, change, type, field, message);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        rejects(
            "group without a dot",
            c -> at(c, "/spec").put("group", "example"),
            "FieldValueInvalid",
            "spec.group",
            "should be a domain with at least one dot"),
        rejects(
            "group that is not a DNS subdomain",
            c -> at(c, "/spec").put("group", "Example.com"),
            "FieldValueInvalid",
            "spec.group",
            "a lowercase RFC 1123 subdomain must consist of"),
        rejects(
            "name that is not plural.group",
            c -> at(c, "/metadata").put("name", "widget.example.com"),
            "FieldValueInvalid",
            "metadata.name",
            "Invalid value: \"widget.example.com\": must be spec.names.plural+\".\"+spec.group"),
        rejects(
            "upper-case plural",
            c -> {
              at(c, "/spec/names").put("plural", "Widgets");
              at(c, "/metadata").put("name", "Widgets.example.com");
            },
            "FieldValueInvalid",
            "spec.names.plural",
            "a DNS-1035 label must consist of lower case alphanumeric characters"),
        rejects(
            "kind equal to listKind",
            c -> at(c, "/spec/names").put("listKind", "Widget"),
            "FieldValueInvalid",
            "spec.names.listKind",
            "kind and listKind may not be the same"),
        rejects(
            "bad short name",
            c -> ((ArrayNode) c.at("/spec/names/shortNames")).add("w_d"),
            "FieldValueInvalid",
            "spec.names.shortNames[1]",
            "Invalid value: \"w_d\""),
        rejects(
            "unknown scope",
            c -> at(c, "/spec").put("scope", "Global"),
            "FieldValueNotSupported",
            "spec.scope",
            "Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\""),
        rejects(
            "no versions",
            c -> at(c, "/spec").putArray("versions"),
            "FieldValueInvalid",
            "spec.versions",
            "must have at least one version"),
        rejects(
            "two storage versions",
            c -> at(c, "/spec/versions/0").put("storage", true),
            "FieldValueInvalid",
            "spec.versions",
            "Invalid value: [\"v1beta1\",\"v1\"]: must have exactly one version marked as storage"
                + " version"),
        rejects(
            "duplicate version names",
            c -> at(c, "/spec/versions/0").put("name", "v1"),
            "FieldValueInvalid",
            "spec.versions",
            "must contain unique version names"),
        rejects(
            "version without a schema",
            c -> at(c, "/spec/versions/0").remove("schema"),
            "FieldValueRequired",
            "spec.versions[0].schema.openAPIV3Schema",
            "Required value: schemas are required"),
        rejects(
            "field without a type",
            c -> at(c, V1_SPEC + "/image").remove("type"),
            "FieldValueRequired",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[image].type",
            "Required value: must not be empty for specified object fields"),
        rejects(
            "array items without a type",
            c -> at(c, V1_SPEC + "/ports/items").remove("type"),
            "FieldValueRequired",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[ports].items.type",
            "Required value: must not be empty for specified array items"),
        rejects(
            "root that is not an object",
            c -> at(c, V1_SCHEMA).put("type", "string"),
            "FieldValueInvalid",
            "spec.versions[1].schema.openAPIV3Schema.type",
            "must be object at the root"),
        rejects(
            "properties with additionalProperties",
            c ->
                at(c, V1_SCHEMA + "/properties/spec")
                    .putObject("additionalProperties")
                    .put("type", "string"),
            "FieldValueForbidden",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].additionalProperties",
            "Forbidden: additionalProperties and properties are mutual exclusive"),
        rejects(
            "metadata restricting labels",
            c ->
                at(c, V1_SCHEMA + "/properties/metadata/properties")
                    .putObject("labels")
                    .put("type", "object"),
            "FieldValueForbidden",
            "spec.versions[1].schema.openAPIV3Schema.properties[metadata].properties[labels]",
            "must not specify anything other than name and generateName"),
        rejects(
            "type inside a value validation",
            c ->
                at(c, V1_SCHEMA + "/properties/spec")
                    .putArray("anyOf")
                    .addObject()
                    .put("type", "object"),
            "FieldValueForbidden",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].anyOf[0].type",
            "Forbidden: must be empty to be structural"),
        rejects(
            "uniqueItems",
            c -> at(c, V1_SPEC + "/ports").put("uniqueItems", true),
            "FieldValueForbidden",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[ports].uniqueItems",
            "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"),
        rejects(
            "$ref",
            c -> at(c, V1_SPEC + "/image").put("$ref", "#/definitions/x"),
            "FieldValueForbidden",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[image].$ref",
            "$ref is not supported"),
        rejects(
            "preserve-unknown-fields false",
            c ->
                at(c, V1_SCHEMA + "/properties/spec")
                    .put("x-kubernetes-preserve-unknown-fields", false),
            "FieldValueInvalid",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].x-kubernetes-preserve-unknown-fields",
            "must be true or undefined"),
        rejects(
            "list-type map without keys",
            c -> at(c, V1_SPEC + "/ports").remove("x-kubernetes-list-map-keys"),
            "FieldValueRequired",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[ports].x-kubernetes-list-map-keys",
            "must not be empty if x-kubernetes-list-type is map"),
        rejects(
            "default of the wrong type",
            c -> at(c, V1_SPEC + "/replicas").put("default", "one"),
            "FieldValueTypeInvalid",
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[replicas].default",
            "must be of type integer: \"string\""),
        rejects(
            "scale path outside spec",
            c ->
                at(c, "/spec/versions/1/subresources/scale")
                    .put("specReplicasPath", ".status.replicas"),
            "FieldValueInvalid",
            "spec.versions[1].subresources.scale.specReplicasPath",
            "should be a json path under .spec"),
        rejects(
            "scale path that is not a simple path",
            c ->
                at(c, "/spec/versions/1/subresources/scale")
                    .put("statusReplicasPath", "status.replicas"),
            "FieldValueInvalid",
            "spec.versions[1].subresources.scale.statusReplicasPath",
            "must be a simple json path starting with ."),
        rejects(
            "printer column of an unknown type",
            c -> at(c, "/spec/versions/1/additionalPrinterColumns/0").put("type", "int"),
            "FieldValueNotSupported",
            "spec.versions[1].additionalPrinterColumns[0].type",
            "supported values: \"integer\", \"number\", \"string\", \"boolean\", \"date\""),
        rejects(
            "printer column without a path",
            c -> at(c, "/spec/versions/1/additionalPrinterColumns/1").remove("jsonPath"),
            "FieldValueRequired",
            "spec.versions[1].additionalPrinterColumns[1].jsonPath",
            "Required value"),
        rejects(
            "webhook conversion",
            c -> at(c, "/spec/conversion").put("strategy", "Webhook"),
            "FieldValueNotSupported",
            "spec.conversion.strategy",
            "Unsupported value: \"Webhook\": supported values: \"None\""),
        rejects(
            "selectable field of an object",
            c ->
                ((ArrayNode) c.at("/spec/versions/1/selectableFields"))
                    .addObject()
                    .put("jsonPath", ".spec.template"),
            "FieldValueInvalid",
            "spec.versions[1].selectableFields[1].jsonPath",
            "must point to a field of type string, boolean or integer"),
        rejects(
            "stored version no longer listed",
            c -> c.putObject("status").putArray("storedVersions").add("v1alpha1"),
            "FieldValueInvalid",
            "status.storedVersions[0]",
            "must appear in spec.versions"));
  }

  @Test
  void acceptsTheWidgetDefinition() {
    assertThat(CrdDefinitions.validate(widgets())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWhatUpstreamRejects(
      String name, Consumer<ObjectNode> change, String type, String field, String message) {
    ObjectNode crd = widgets();
    change.accept(crd);

    List<FieldError> errors = CrdDefinitions.validate(crd);

    assertThat(errors)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(type);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.message()).contains(message);
            });
  }

  @Test
  void rejectsADefaultWithFieldsTheSchemaDoesNotKnow() {
    ObjectNode crd = widgets();
    at(crd, V1_SPEC + "/ports/items").set("default", json("{port: 80, colour: 'red'}"));

    assertThat(CrdDefinitions.validate(crd))
        .containsExactly(
            FieldError.invalid(
                "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[ports].items.default",
                "{\"port\":80,\"colour\":\"red\"}",
                "must not have unknown fields, but colour is unknown"));
  }

  @Test
  void defaultsSingularListKindAndConversion() {
    ObjectNode crd = Fixtures.object("{spec: {names: {kind: 'Gadget', plural: 'gadgets'}}}");

    CrdDefinitions.applyDefaults(crd);

    assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("gadget");
    assertThat(crd.at("/spec/names/listKind").asText()).isEqualTo("GadgetList");
    assertThat(crd.at("/spec/conversion/strategy").asText()).isEqualTo("None");
  }

  @Test
  void refusesToChangeGroupScopeOrDropAStoredVersion() {
    ObjectNode old = widgets();
    old.putObject("status").putArray("storedVersions").add("v1beta1");
    ObjectNode changed = widgets();
    at(changed, "/spec").put("scope", "Cluster");
    ((ArrayNode) changed.at("/spec/versions")).remove(0);
    at(changed, "/spec/versions/0").put("storage", true);

    assertThat(CrdDefinitions.validateUpdate(changed, old))
        .extracting(FieldError::field, FieldError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.scope", "Invalid value: \"Cluster\": field is immutable"),
            org.assertj.core.groups.Tuple.tuple(
                "spec.versions",
                "Invalid value: \"v1beta1\": must include all stored versions"
                    + " (status.storedVersions) [\"v1beta1\"]"));
  }

  @Test
  void servesOneResourceTypePerServedVersionSharingStorage() {
    ObjectNode crd = widgets();
    ((ObjectNode) crd.at("/spec/versions/0")).put("served", false);
    ((ArrayNode) crd.at("/spec/versions")).addObject().put("name", "v2").put("served", true);

    List<ResourceType> types = CrdDefinitions.resourceTypes(crd);

    assertThat(types).extracting(ResourceType::version).containsExactly("v1", "v2");
    ResourceType v1 = types.get(0);
    assertThat(v1.apiVersion()).isEqualTo("example.com/v1");
    assertThat(v1.kind()).isEqualTo("Widget");
    assertThat(v1.plural()).isEqualTo("widgets");
    assertThat(v1.singular()).isEqualTo("widget");
    assertThat(v1.namespaced()).isTrue();
    assertThat(v1.shortNames()).containsExactly("wd");
    assertThat(v1.categories()).containsExactly("all");
    assertThat(v1.verbs()).hasSize(8).contains("deletecollection", "watch");
    assertThat(v1.subresources()).containsExactlyInAnyOrder("status", "scale");
    assertThat(types.get(1).subresources()).isEmpty();
    assertThat(types).extracting(ResourceType::storageResource).containsOnly("example.com/widgets");
    assertThat(CrdDefinitions.storageVersion(crd)).contains("v1");
  }

  @Test
  void exposesStatusAndScaleForGenerationAndScaleHandling() {
    var behavior =
        (CustomResourceBehavior) CrdDefinitions.resourceTypes(widgets()).get(1).behavior();

    assertThat(behavior.hasStatusSubresource()).isTrue();
    assertThat(behavior.scale())
        .contains(
            new ScaleSubresource(
                ".spec.replicas", ".status.replicas", java.util.Optional.of(".status.selector")));
    assertThat(behavior.tracksGeneration()).isTrue();
  }

  @Test
  void publishesTheVersionSchemaWithGroupVersionKind() {
    ObjectNode schema = CrdDefinitions.openApiSchema(widgets(), "v1");

    assertThat(schema.get("x-kubernetes-group-version-kind"))
        .isEqualTo(json("[{group: 'example.com', kind: 'Widget', version: 'v1'}]"));
    assertThat(schema.at("/properties/metadata/type").asText()).isEqualTo("object");
    assertThat(schema.at("/properties/apiVersion/type").asText()).isEqualTo("string");
    assertThat(schema.at("/properties/spec/properties/replicas/default").asInt()).isEqualTo(1);
    JsonNode original = widgets().at(V1_SCHEMA);
    assertThat(original.has("x-kubernetes-group-version-kind"))
        .as("the CRD is not modified")
        .isFalse();
    assertThatThrownBy(() -> CrdDefinitions.openApiSchema(widgets(), "v3"))
        .hasMessageContaining("widgets.example.com has no version v3");
  }
}
