package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.integer;
import static io.flotilla.api.kinds.Cells.text;
import static io.flotilla.api.kinds.Cells.typed;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Namespaces, Nodes, and the cluster's scheduling and coordination kinds. */
public final class ClusterBehaviors {
  private ClusterBehaviors() {}

  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";

  public static TableBehavior namespace() {
    return TableBehavior.of(
            List.of(Cells.NAME, column("Status", "The namespace's phase"), Cells.AGE),
            (o, now) -> Cells.row(Cells.name(o), text(o, "status.phase"), Cells.age(o, now)))
        .withSelectors(Map.of("status.phase", o -> text(o, "status.phase")));
  }

  public static TableBehavior node() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Status", "Readiness, and whether scheduling is disabled"),
            column("Roles", "Roles from node-role labels"),
            Cells.AGE,
            column("Version", "The kubelet's version"),
            Cells.wide("Internal-IP", "The first internal address"),
            Cells.wide("External-IP", "The first external address"),
            Cells.wide("OS-Image", "The operating system image"),
            Cells.wide("Kernel-Version", "The kernel version"),
            Cells.wide("Container-Runtime", "The container runtime and its version"));
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    nodeStatus(o),
                    Cells.orNone(String.join(",", roles(o))),
                    Cells.age(o, now),
                    text(o, "status.nodeInfo.kubeletVersion"),
                    address(o, "InternalIP"),
                    address(o, "ExternalIP"),
                    orUnknown(text(o, "status.nodeInfo.osImage")),
                    orUnknown(text(o, "status.nodeInfo.kernelVersion")),
                    orUnknown(text(o, "status.nodeInfo.containerRuntimeVersion"))))
        .withSelectors(
            Map.of("spec.unschedulable", o -> String.valueOf(Cells.bool(o, "spec.unschedulable"))));
  }

  /** "Ready", "NotReady" or "Unknown", then ",SchedulingDisabled" when cordoned. */
  static String nodeStatus(JsonNode node) {
    List<String> status = new ArrayList<>();
    JsonNode ready = null;
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        ready = c; // the last Ready condition wins, as upstream's map does
      }
    }
    if (ready != null) {
      status.add("True".equals(ready.path("status").asText()) ? "Ready" : "NotReady");
    } else {
      status.add("Unknown");
    }
    if (Cells.bool(node, "spec.unschedulable")) {
      status.add("SchedulingDisabled");
    }
    return String.join(",", status);
  }

  static TreeSet<String> roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata")
        .path("labels")
        .properties()
        .forEach(
            e -> {
              String key = e.getKey();
              if (key.startsWith(ROLE_PREFIX) && key.length() > ROLE_PREFIX.length()) {
                roles.add(key.substring(ROLE_PREFIX.length()));
              } else if (key.equals(ROLE_LABEL) && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
              }
            });
    return roles;
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (type.equals(a.path("type").asText())) {
        return a.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }

  public static TableBehavior priorityClass() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            typed("Value", "integer", "The priority of pods in the class"),
            typed("Global-Default", "boolean", "Whether pods without a class get this one"),
            Cells.AGE,
            column("PreemptionPolicy", "Whether pods in the class preempt others"));
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    integer(o, "value"),
                    Cells.bool(o, "globalDefault"),
                    Cells.age(o, now),
                    text(o, "preemptionPolicy")))
        .withoutGeneration();
  }

  public static TableBehavior lease() {
    return TableBehavior.of(
        List.of(Cells.NAME, column("Holder", "Who holds the lease"), Cells.AGE),
        (o, now) -> Cells.row(Cells.name(o), text(o, "spec.holderIdentity"), Cells.age(o, now)));
  }

  public static TableBehavior resourceQuota() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Request", "Used out of hard limits, for everything but limits.*"),
            column("Limit", "Used out of hard limits, for limits.*"),
            Cells.AGE);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          List<String> requests = new ArrayList<>();
          List<String> limits = new ArrayList<>();
          JsonNode used = o.path("status").path("used");
          TreeMap<String, String> hard = new TreeMap<>();
          o.path("status")
              .path("hard")
              .properties()
              .forEach(e -> hard.put(e.getKey(), e.getValue().asText()));
          hard.forEach(
              (resource, limit) -> {
                String cell = resource + ": " + used.path(resource).asText("0") + "/" + limit;
                (resource.startsWith("limits.") ? limits : requests).add(cell);
              });
          return Cells.row(
              Cells.name(o),
              String.join(", ", requests),
              String.join(", ", limits),
              Cells.age(o, now));
        });
  }
}
