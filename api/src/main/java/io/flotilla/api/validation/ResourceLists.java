package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Validation of ResourceLists: maps of resource names to quantities (requests, hard, capacity). */
final class ResourceLists {
  private ResourceLists() {}

  static final String NEGATIVE = "must be greater than or equal to 0";

  private static final Set<String> STANDARD =
      Set.of(
          "cpu",
          "memory",
          "ephemeral-storage",
          "storage",
          "pods",
          "services",
          "replicationcontrollers",
          "resourcequotas",
          "secrets",
          "configmaps",
          "persistentvolumeclaims",
          "services.nodeports",
          "services.loadbalancers",
          "requests.cpu",
          "requests.memory",
          "requests.storage",
          "requests.ephemeral-storage",
          "limits.cpu",
          "limits.memory",
          "limits.ephemeral-storage");

  /**
   * Checks each name and quantity of the list at {@code path} and returns the parsed quantities
   * (malformed ones left out). Negative quantities are refused.
   */
  static Map<String, Quantity> validate(ObjectNode list, String path, Errors errs) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    var it = list.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String keyPath = path + "[" + name + "]";
      validateName(name, keyPath, errs);
      Quantity q;
      try {
        q = Quantity.fromJson(e.getValue());
      } catch (IllegalArgumentException ex) {
        errs.invalid(keyPath, e.getValue(), ex.getMessage());
        continue;
      }
      if (q.signum() < 0) {
        errs.invalid(keyPath, q.toString(), NEGATIVE);
      }
      out.put(name, q);
    }
    return out;
  }

  /** A resource name is standard (cpu, memory…), hugepages-*, or a qualified name with a prefix. */
  static void validateName(String name, String path, Errors errs) {
    var msgs = Names.qualifiedName(name);
    if (!msgs.isEmpty()) {
      errs.invalidEach(path, name, msgs);
      return;
    }
    if (!name.contains("/")
        && !STANDARD.contains(name)
        && !name.startsWith("hugepages-")
        && !name.startsWith("requests.hugepages-")
        && !name.startsWith("count/")) {
      errs.invalid(path, name, "must be a standard resource type or fully qualified");
    }
  }
}
