package io.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.crd.CrdDefinitions;
import io.flotilla.apiserver.rest.ObjectMetaRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status and finalizer a CustomResourceDefinition gets from the establishing loop, as
 * upstream's naming, establishing and finalizer controllers write them: acceptedNames,
 * storedVersions and the NamesAccepted, Established and Terminating conditions. Pure functions over
 * JSON; a condition's lastTransitionTime changes only when its status does.
 */
final class CrdStatus {
  static final String FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

  private CrdStatus() {}

  /**
   * The CRD with its names accepted (conflict null) or refused (conflict says why), the storage
   * version recorded and the cleanup finalizer present. Returns a new object.
   */
  static ObjectNode established(ObjectNode crd, String conflict, Instant now) {
    ObjectNode next = crd.deepCopy();
    addFinalizer(next);
    ObjectNode status = status(next);
    if (conflict == null) {
      status.set("acceptedNames", next.path("spec").path("names").deepCopy());
    } else if (!status.has("acceptedNames")) {
      status.putObject("acceptedNames").put("plural", "").put("kind", "");
    }
    ArrayNode stored =
        status.get("storedVersions") instanceof ArrayNode a ? a : status.putArray("storedVersions");
    CrdDefinitions.storageVersion(next)
        .ifPresent(
            v -> {
              if (!contains(stored, v)) {
                stored.add(v);
              }
            });
    if (conflict == null) {
      condition(next, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
      condition(
          next,
          "Established",
          "True",
          "InitialNamesAccepted",
          "the initial names have been accepted",
          now);
    } else {
      condition(next, "NamesAccepted", "False", "NameConflict", conflict, now);
      if (!isTrue(next, "Established")) {
        condition(next, "Established", "False", "NotAccepted", "not all names are accepted", now);
      }
    }
    return next;
  }

  /** The CRD marked as terminating while (done false) or after (done true) its objects go. */
  static ObjectNode terminating(ObjectNode crd, boolean done, Instant now) {
    ObjectNode next = crd.deepCopy();
    if (done) {
      condition(
          next, "Terminating", "False", "InstanceDeletionCompleted", "removed all instances", now);
      ObjectNode meta = ObjectMetaRules.meta(next);
      if (meta.get("finalizers") instanceof ArrayNode fin) {
        for (int i = fin.size() - 1; i >= 0; i--) {
          if (fin.get(i).asText().equals(FINALIZER)) {
            fin.remove(i);
          }
        }
        if (fin.isEmpty()) {
          meta.remove("finalizers");
        }
      }
    } else {
      condition(
          next,
          "Terminating",
          "True",
          "InstanceDeletionInProgress",
          "CustomResource deletion is in progress",
          now);
    }
    return next;
  }

  static boolean isTrue(JsonNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  /** Every name a CRD claims in its group: plural, singular, kind, listKind and short names. */
  static List<String> claimedNames(JsonNode crd) {
    JsonNode names = crd.path("spec").path("names");
    List<String> out = new ArrayList<>();
    for (String f : List.of("plural", "singular", "kind", "listKind")) {
      String v = names.path(f).asText("");
      if (!v.isEmpty()) {
        out.add(v);
      }
    }
    names.path("shortNames").forEach(s -> out.add(s.asText()));
    return out;
  }

  private static void addFinalizer(ObjectNode crd) {
    ObjectNode meta = ObjectMetaRules.meta(crd);
    ArrayNode fin = meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
    if (!contains(fin, FINALIZER)) {
      fin.add(FINALIZER);
    }
  }

  private static ObjectNode status(ObjectNode crd) {
    return crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
  }

  private static void condition(
      ObjectNode crd, String type, String value, String reason, String message, Instant now) {
    ObjectNode status = status(crd);
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    ObjectNode c = null;
    for (JsonNode existing : conditions) {
      if (existing.path("type").asText().equals(type) && existing instanceof ObjectNode o) {
        c = o;
      }
    }
    if (c == null) {
      c = conditions.addObject().put("type", type);
    }
    if (!c.path("status").asText().equals(value) || !c.has("lastTransitionTime")) {
      c.put("lastTransitionTime", ObjectMetaRules.timestamp(now));
    }
    c.put("status", value).put("reason", reason).put("message", message);
  }

  private static boolean contains(ArrayNode arr, String value) {
    for (JsonNode n : arr) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
