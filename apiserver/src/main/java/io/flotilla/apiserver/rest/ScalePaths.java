package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.crd.CustomResourceBehavior;
import io.flotilla.api.crd.ScaleSubresource;
import java.util.Optional;

/**
 * Where a scalable kind keeps its replica counts and label selector: spec.replicas, status.replicas
 * and spec.selector for built-in workloads; the paths of the CRD's scale subresource for custom
 * resources (".spec.size", with the selector already serialized as a string). Immutable.
 *
 * @param spec the desired replicas, as ".spec.replicas"
 * @param status the observed replicas, as ".status.replicas"
 * @param selector the serialized selector of a custom resource; empty for built-ins, whose
 *     structured spec.selector is serialized by the scale handler
 * @param defaultReplicas what a missing spec replicas count means (1 for workloads, 0 for CRs)
 */
record ScalePaths(String spec, String status, Optional<String> selector, int defaultReplicas) {
  private static final ScalePaths WORKLOAD =
      new ScalePaths(".spec.replicas", ".status.replicas", Optional.empty(), 1);

  static ScalePaths of(ResourceType type) {
    if (type.behavior() instanceof CustomResourceBehavior c && c.scale().isPresent()) {
      ScaleSubresource s = c.scale().get();
      return new ScalePaths(s.specReplicasPath(), s.statusReplicasPath(), s.labelSelectorPath(), 0);
    }
    return WORKLOAD;
  }

  boolean custom() {
    return this != WORKLOAD;
  }

  /** The value at a simple path (".a.b"), or a missing node. */
  static JsonNode get(JsonNode obj, String path) {
    JsonNode cur = obj;
    for (String part : parts(path)) {
      cur = cur.path(part);
    }
    return cur == null ? MissingNode.getInstance() : cur;
  }

  /** Sets an integer at a simple path, creating the objects on the way. */
  static void set(ObjectNode obj, String path, int value) {
    String[] parts = parts(path);
    ObjectNode cur = obj;
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.get(parts[i]) instanceof ObjectNode o ? o : cur.putObject(parts[i]);
    }
    cur.put(parts[parts.length - 1], value);
  }

  private static String[] parts(String path) {
    String p = path.startsWith(".") ? path.substring(1) : path;
    return p.split("\\.");
  }
}
