package io.flotilla.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import java.util.List;
import java.util.Map;

/**
 * Generates the OpenAPI v3 documents the apiserver serves under {@code /openapi/v3}: one per
 * group-version ("api/v1", "apis/apps/v1"), each with its paths and the schemas of its kinds.
 *
 * <p>kubectl reads these to explain kinds and to learn that the server validates fields itself: a
 * PATCH operation tagged with the kind's {@code x-kubernetes-group-version-kind} that lists the
 * {@code fieldValidation} query parameter makes kubectl send {@code fieldValidation=Strict} and
 * skip its own validation. PATCH operations of built-in kinds list the strategic-merge content
 * type, and their schemas carry upstream's merge keys, so kubectl computes apply patches from them.
 */
public final class OpenApiV3 {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> WRITE_PARAMS =
      List.of("dryRun", "fieldManager", "fieldValidation");

  private OpenApiV3() {}

  /** The document path of a group-version: "api/v1" for core, "apis/<group>/<version>" else. */
  public static String documentPath(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /** The document for one group-version, built from its resources. */
  public static ObjectNode document(String group, String version, List<ResourceType> resources) {
    SchemaGenerator gen = new SchemaGenerator();
    ObjectNode doc = JSON.objectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Flotilla").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType rt : resources) {
      if (!rt.group().equals(group) || !rt.version().equals(version)) {
        continue;
      }
      ObjectNode kindRef = kindSchema(gen, rt);
      addPaths(paths, rt, kindRef);
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (Map.Entry<String, ObjectNode> e : gen.components().entrySet()) {
      schemas.set(e.getKey(), e.getValue());
    }
    return doc;
  }

  /** Adds (or finds) the kind's schema component and tags it with its group-version-kind. */
  private static ObjectNode kindSchema(SchemaGenerator gen, ResourceType rt) {
    ObjectNode ref;
    var model = ModelClasses.forKind(rt.gvk());
    ObjectNode published = rt.behavior().openApiSchema();
    if (model.isPresent()) {
      ref = gen.ref(model.get());
    } else if (published != null) {
      // Upstream names custom resource schemas by the reversed group: com.example.v1.Widget.
      List<String> parts = new java.util.ArrayList<>(List.of(rt.group().split("\\.")));
      java.util.Collections.reverse(parts);
      String name = String.join(".", parts) + "." + rt.version() + "." + rt.kind();
      gen.components().put(name, published);
      ref = JSON.objectNode().put("$ref", "#/components/schemas/" + name);
    } else {
      String name =
          "io.flotilla.model.generic." + rt.group() + "." + rt.version() + "." + rt.kind();
      ObjectNode schema = JSON.objectNode().put("type", "object");
      ObjectNode props = schema.putObject("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      props
          .putObject("metadata")
          .put("type", "object")
          .put("x-kubernetes-preserve-unknown-fields", true);
      schema.put("x-kubernetes-preserve-unknown-fields", true);
      gen.components().put(name, schema);
      ref = JSON.objectNode().put("$ref", "#/components/schemas/" + name);
    }
    String name = ref.get("$ref").asText().substring("#/components/schemas/".length());
    ObjectNode schema = gen.components().get(name);
    ArrayNode gvks = schema.withArray("x-kubernetes-group-version-kind");
    boolean present = false;
    for (var n : gvks) {
      present |=
          n.path("kind").asText().equals(rt.kind())
              && n.path("version").asText().equals(rt.version());
    }
    if (!present) {
      gvks.addObject().put("group", rt.group()).put("kind", rt.kind()).put("version", rt.version());
    }
    return ref;
  }

  private static void addPaths(ObjectNode paths, ResourceType rt, ObjectNode kindRef) {
    String prefix = "/" + documentPath(rt.group(), rt.version());
    String collection =
        rt.namespaced()
            ? prefix + "/namespaces/{namespace}/" + rt.plural()
            : prefix + "/" + rt.plural();
    String item = collection + "/{name}";
    ObjectNode coll = paths.putObject(collection);
    ObjectNode one = paths.putObject(item);
    addPathParams(coll, rt.namespaced(), false);
    addPathParams(one, rt.namespaced(), true);
    for (String verb : rt.verbs()) {
      switch (verb) {
        case "list" ->
            op(
                coll,
                "get",
                rt,
                "list",
                kindRef,
                List.of(
                    "labelSelector",
                    "fieldSelector",
                    "limit",
                    "continue",
                    "resourceVersion",
                    "watch"));
        case "create" ->
            body(
                op(coll, "post", rt, "post", kindRef, WRITE_PARAMS),
                kindRef,
                List.of("application/json", "application/yaml"));
        case "deletecollection" ->
            op(
                coll,
                "delete",
                rt,
                "deletecollection",
                kindRef,
                List.of("labelSelector", "fieldSelector", "dryRun"));
        case "get" -> op(one, "get", rt, "get", kindRef, List.of());
        case "update" ->
            body(
                op(one, "put", rt, "put", kindRef, WRITE_PARAMS),
                kindRef,
                List.of("application/json", "application/yaml"));
        case "delete" ->
            op(
                one,
                "delete",
                rt,
                "delete",
                kindRef,
                List.of("dryRun", "gracePeriodSeconds", "propagationPolicy"));
        case "patch" ->
            body(
                op(
                    one,
                    "patch",
                    rt,
                    "patch",
                    kindRef,
                    List.of("dryRun", "fieldManager", "fieldValidation", "force")),
                JSON.objectNode().put("type", "object"),
                patchTypes(rt));
        default -> {
          // watch is served through list with ?watch=true.
        }
      }
    }
    if (coll.size() == 1) {
      paths.remove(collection);
    }
    if (one.size() == 1) {
      paths.remove(item);
    }
  }

  /**
   * The patch types a kind accepts. Strategic merge patch only for kinds with a model schema (the
   * built-ins), whose properties carry upstream's merge keys: kubectl then computes its apply
   * patches from these schemas. Custom resources take JSON and merge patches, as upstream.
   */
  private static List<String> patchTypes(ResourceType rt) {
    List<String> types =
        new java.util.ArrayList<>(
            List.of(
                "application/json-patch+json",
                "application/merge-patch+json",
                "application/apply-patch+yaml"));
    if (ModelClasses.forKind(rt.gvk()).isPresent()) {
      types.add("application/strategic-merge-patch+json");
    }
    return types;
  }

  private static void addPathParams(ObjectNode path, boolean namespaced, boolean named) {
    ArrayNode params = path.putArray("parameters");
    if (namespaced) {
      params
          .addObject()
          .put("name", "namespace")
          .put("in", "path")
          .put("required", true)
          .putObject("schema")
          .put("type", "string");
    }
    if (named) {
      params
          .addObject()
          .put("name", "name")
          .put("in", "path")
          .put("required", true)
          .putObject("schema")
          .put("type", "string");
    }
  }

  private static ObjectNode op(
      ObjectNode path,
      String method,
      ResourceType rt,
      String action,
      ObjectNode kindRef,
      List<String> query) {
    ObjectNode op = path.putObject(method);
    op.put("operationId", action + rt.kind());
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", rt.group())
        .put("version", rt.version())
        .put("kind", rt.kind());
    ArrayNode params = op.putArray("parameters");
    for (String q : query) {
      ObjectNode p = params.addObject().put("name", q).put("in", "query").put("uniqueItems", true);
      p.putObject("schema")
          .put(
              "type",
              q.equals("limit") || q.equals("gracePeriodSeconds")
                  ? "integer"
                  : q.equals("watch") || q.equals("force") ? "boolean" : "string");
    }
    ObjectNode ok = op.putObject("responses").putObject("200");
    ok.put("description", "OK");
    ok.putObject("content").putObject("application/json").set("schema", kindRef.deepCopy());
    return op;
  }

  private static ObjectNode body(ObjectNode op, ObjectNode schema, List<String> types) {
    ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
    for (String t : types) {
      content.putObject(t).set("schema", schema.deepCopy());
    }
    return op;
  }

  /** The root document listing every group-version's document with a content hash. */
  public static ObjectNode root(Map<String, String> hashByDocumentPath) {
    ObjectNode root = JSON.objectNode();
    ObjectNode paths = root.putObject("paths");
    hashByDocumentPath.forEach(
        (path, hash) ->
            paths
                .putObject(path)
                .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash));
    return root;
  }
}
