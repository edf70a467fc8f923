package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.NOW;
import static io.flotilla.api.crd.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.api.TableColumn;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Widget CRD through the apiserver's steps: register, prune, default, validate, print. */
class WidgetEndToEndTest {
  private final List<ResourceType> types =
      CrdDefinitions.resourceTypes(CrdDefinitionsTest.widgets());
  private final ResourceType v1 = types.get(1);
  private final CustomResourceBehavior behavior = (CustomResourceBehavior) v1.behavior();

  private static ObjectNode widget(String spec) {
    ObjectNode w =
        Fixtures.object(
            "{apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'blue', namespace:"
                + " 'default', creationTimestamp: '2024-05-01T09:00:00Z'}}");
    w.set("spec", json(spec));
    return w;
  }

  @Test
  void prunesDefaultsValidatesAndPrintsAWidget() {
    ObjectNode w =
        widget(
            "{image: 'nginx', colour: 'blue', ports: [{port: 80}, {port: 443, protocol: 'UDP',"
                + " name: 'https'}], template: {apiVersion: 'v1', kind: 'Pod', spec: {containers:"
                + " []}}}");
    w.set(
        "status",
        json("{replicas: 2, conditions: [{type: 'Ready', status: 'True'}], observed: true}"));

    List<String> pruned = behavior.prune(w);
    behavior.applyDefaults(w);
    List<FieldError> errors = behavior.validate(w, null);

    assertThat(pruned).containsExactly("spec.colour", "spec.ports[1].name", "status.observed");
    assertThat(w.get("spec"))
        .isEqualTo(
            json(
                "{image: 'nginx', replicas: 1, size: 'medium', ports: [{port: 80, protocol:"
                    + " 'TCP'}, {port: 443, protocol: 'UDP'}], template: {apiVersion: 'v1', kind:"
                    + " 'Pod', spec: {containers: []}}}"));
    assertThat(errors).isEmpty();
    assertThat(behavior.tableColumns())
        .extracting(TableColumn::name)
        .containsExactly("Name", "Replicas", "Ready", "Size", "Age");
    assertThat(behavior.tableColumns().get(3).priority()).isEqualTo(1);
    assertThat(behavior.tableCells(w, NOW))
        .isEqualTo(Arrays.asList("blue", 1L, "True", "medium", "3h"));
    assertThat(behavior.fieldSelectors().get("spec.size").apply(w)).isEqualTo("medium");
  }

  @Test
  void reportsEveryProblemOfABadWidget() {
    ObjectNode w =
        widget(
            "{replicas: -1, size: 'huge', ports: [{port: 80}, {port: 80}], template: {spec:"
                + " {}}}");
    ((ObjectNode) w.get("metadata")).put("name", "a-name-much-longer-than-twenty");

    behavior.applyDefaults(w);

    assertThat(behavior.validate(w, null))
        .extracting(e -> e.type() + " " + e.field())
        .containsExactlyInAnyOrder(
            "FieldValueTooLong metadata.name",
            "FieldValueRequired spec.image",
            "FieldValueInvalid spec.replicas",
            "FieldValueNotSupported spec.size",
            "FieldValueDuplicate spec.ports[1]",
            "FieldValueRequired spec.template.apiVersion",
            "FieldValueRequired spec.template.kind");
  }

  @Test
  void theOlderVersionPreservesItsSpecAndPrintsNameAndAge() {
    var beta = types.get(0).behavior();
    ObjectNode w = widget("{anything: {goes: true}}");
    w.putObject("status").put("x", 1);

    List<String> pruned = ((CustomResourceBehavior) beta).prune(w);

    assertThat(pruned).containsExactly("status");
    assertThat(w.at("/spec/anything/goes").asBoolean()).isTrue();
    assertThat(beta.tableColumns()).extracting(TableColumn::name).containsExactly("Name", "Age");
    assertThat(beta.tableCells(w, NOW)).containsExactly("blue", "3h");
    assertThat(((CustomResourceBehavior) beta).hasStatusSubresource()).isFalse();
  }

  @Test
  void registersAndUnregistersEveryServedVersion() {
    KindRegistry registry = new KindRegistry();
    types.forEach(registry::register);

    assertThat(registry.byResource("example.com", "v1", "widgets")).contains(v1);
    assertThat(registry.byKind(v1.gvk())).contains(v1);

    types.forEach(registry::unregister);

    assertThat(registry.all()).isEmpty();
  }
}
