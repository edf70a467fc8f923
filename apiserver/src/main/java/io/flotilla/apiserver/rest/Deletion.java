package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;

/** When a terminating object may finally be removed from the store. */
final class Deletion {
  private Deletion() {}

  static boolean isNamespace(ResourceType type) {
    return type.group().isEmpty() && type.plural().equals("namespaces");
  }

  /**
   * Whether an object is terminating with nothing left to wait for: no finalizers, no grace period
   * running, and for a namespace no spec finalizers either.
   */
  static boolean finished(ResourceType type, ObjectNode obj) {
    JsonNode meta = obj.path("metadata");
    if (!meta.hasNonNull("deletionTimestamp")) {
      return false;
    }
    if (!meta.path("finalizers").isEmpty()) {
      return false;
    }
    if (meta.path("deletionGracePeriodSeconds").asLong(0) > 0) {
      return false;
    }
    return !isNamespace(type) || obj.path("spec").path("finalizers").isEmpty();
  }
}
