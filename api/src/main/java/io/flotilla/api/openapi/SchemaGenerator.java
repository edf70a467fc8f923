package io.flotilla.api.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.patch.PatchStrategies;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds OpenAPI v3 schemas for fabric8 model classes from their Jackson properties. Each class
 * becomes one named component; nested classes are referenced with {@code $ref}. Kubernetes' special
 * wire types are mapped as upstream publishes them: IntOrString as x-kubernetes-int-or-string,
 * Quantity as a string, free-form maps and raw extensions as objects that preserve unknown fields.
 * Fields carry the list-type, map-type and patch-strategy extensions of {@link PatchStrategies}.
 *
 * <p>Not thread-safe: one generator builds one document.
 */
final class SchemaGenerator {
  private static final String MODEL_BASE = "io.fabric8.kubernetes.api.model";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, ObjectNode> components = new TreeMap<>();

  /** The components built so far, by name. */
  Map<String, ObjectNode> components() {
    return components;
  }

  /** The component name of a model class: its package below fabric8's base, then its name. */
  static String componentName(Class<?> c) {
    return ModelClasses.componentName(c);
  }

  /** Adds the component for a class (and everything it references); returns a $ref to it. */
  ObjectNode ref(Class<?> c) {
    String name = componentName(c);
    if (!components.containsKey(name)) {
      ObjectNode schema = JSON.objectNode();
      components.put(name, schema); // placed first so recursive types terminate
      fill(schema, c);
    }
    return JSON.objectNode().put("$ref", "#/components/schemas/" + name);
  }

  private void fill(ObjectNode schema, Class<?> c) {
    schema.put("type", "object");
    JavaType type = mapper.constructType(c);
    BeanDescription bean = mapper.getSerializationConfig().introspect(type);
    ObjectNode props = JSON.objectNode();
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (p.getName().equals("additionalProperties") || p.getPrimaryType() == null) {
        continue;
      }
      ObjectNode property = schemaOf(p.getPrimaryType());
      PatchStrategies.find(componentName(c), p.getName())
          .ifPresent(e -> addPatchExtensions(property, e));
      props.set(p.getName(), property);
    }
    if (!props.isEmpty()) {
      schema.set("properties", props);
    }
  }

  /**
   * Adds the list, map and patch extensions upstream publishes for a field. On a field that is a
   * {@code $ref} they sit beside it, where readers of Kubernetes' schemas look for them.
   */
  private static void addPatchExtensions(ObjectNode property, PatchStrategies.Entry e) {
    if (!e.patchStrategy().isEmpty()) {
      property.put("x-kubernetes-patch-strategy", e.patchStrategy());
    }
    if (!e.mergeKey().isEmpty()) {
      property.put("x-kubernetes-patch-merge-key", e.mergeKey());
    }
    if (!e.listType().isEmpty()) {
      property.put("x-kubernetes-list-type", e.listType());
    }
    if (!e.listMapKeys().isEmpty()) {
      var keys = property.putArray("x-kubernetes-list-map-keys");
      e.listMapKeys().forEach(keys::add);
    }
    if (!e.mapType().isEmpty()) {
      property.put("x-kubernetes-map-type", e.mapType());
    }
  }

  private ObjectNode schemaOf(JavaType t) {
    Class<?> raw = t.getRawClass();
    if (raw == String.class || raw == Character.class || raw == char.class) {
      return JSON.objectNode().put("type", "string");
    }
    if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
      return JSON.objectNode().put("type", "integer").put("format", "int32");
    }
    if (raw == Long.class || raw == long.class) {
      return JSON.objectNode().put("type", "integer").put("format", "int64");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return JSON.objectNode().put("type", "boolean");
    }
    if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
      return JSON.objectNode().put("type", "number").put("format", "double");
    }
    if (raw.getName().equals(MODEL_BASE + ".IntOrString")) {
      ObjectNode s = JSON.objectNode().put("x-kubernetes-int-or-string", true);
      s.putArray("anyOf")
          .add(JSON.objectNode().put("type", "integer"))
          .add(JSON.objectNode().put("type", "string"));
      return s;
    }
    if (raw.getName().equals(MODEL_BASE + ".Quantity")) {
      ObjectNode s = JSON.objectNode().put("x-kubernetes-int-or-string", true);
      s.putArray("anyOf")
          .add(JSON.objectNode().put("type", "integer"))
          .add(JSON.objectNode().put("type", "string"));
      return s;
    }
    if (t.isCollectionLikeType() || t.isArrayType()) {
      ObjectNode s = JSON.objectNode().put("type", "array");
      s.set("items", schemaOf(t.getContentType()));
      return s;
    }
    if (t.isMapLikeType()) {
      ObjectNode s = JSON.objectNode().put("type", "object");
      JavaType value = t.getContentType();
      if (value.getRawClass() == Object.class) {
        s.put("x-kubernetes-preserve-unknown-fields", true);
      } else {
        s.set("additionalProperties", schemaOf(value));
      }
      return s;
    }
    // FieldsV1 (managedFields) is a free-form trie: its keys are never unknown fields.
    if (raw == Object.class
        || raw == io.fabric8.kubernetes.api.model.FieldsV1.class
        || raw.isInterface()
        || raw.getName().startsWith("com.fasterxml")
        || !raw.getName().startsWith("io.fabric8.")
        || Collection.class.isAssignableFrom(raw)) {
      return JSON.objectNode()
          .put("type", "object")
          .put("x-kubernetes-preserve-unknown-fields", true);
    }
    return ref(raw);
  }
}
