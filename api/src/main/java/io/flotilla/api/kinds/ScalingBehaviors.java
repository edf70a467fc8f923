package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.integer;
import static io.flotilla.api.kinds.Cells.text;
import static io.flotilla.api.kinds.Cells.typed;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.ArrayList;
import java.util.List;

/** HorizontalPodAutoscalers (autoscaling/v1 and v2) and PodDisruptionBudgets. */
public final class ScalingBehaviors {
  private ScalingBehaviors() {}

  public static TableBehavior horizontalPodAutoscaler() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Reference", "The scaled object, as Kind/name"),
            column("Targets", "Current and target metric values"),
            column("MinPods", "The lower replica bound"),
            column("MaxPods", "The upper replica bound"),
            column("Replicas", "Replicas now"),
            Cells.AGE);
    return TableBehavior.of(
        columns,
        (o, now) ->
            Cells.row(
                Cells.name(o),
                text(o, "spec.scaleTargetRef.kind") + "/" + text(o, "spec.scaleTargetRef.name"),
                targets(o),
                Cells.present(o, "spec.minReplicas")
                    ? String.valueOf(integer(o, "spec.minReplicas"))
                    : "<unset>",
                integer(o, "spec.maxReplicas"),
                integer(o, "status.currentReplicas"),
                Cells.age(o, now)));
  }

  /** The Targets cell; autoscaling/v1 objects carry one CPU target in their own fields. */
  static String targets(JsonNode hpa) {
    if (Cells.present(hpa, "spec.targetCPUUtilizationPercentage")) {
      String current =
          Cells.present(hpa, "status.currentCPUUtilizationPercentage")
              ? integer(hpa, "status.currentCPUUtilizationPercentage") + "%"
              : "<unknown>";
      return "cpu: " + current + "/" + integer(hpa, "spec.targetCPUUtilizationPercentage") + "%";
    }
    JsonNode specs = hpa.path("spec").path("metrics");
    if (specs.isEmpty()) {
      return "<none>";
    }
    JsonNode statuses = hpa.path("status").path("currentMetrics");
    List<String> list = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      JsonNode status =
          i < statuses.size()
              ? statuses.get(i)
              : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      list.add(metric(specs.get(i), status));
    }
    int max = 2;
    String joined = String.join(", ", list.subList(0, Math.min(max, list.size())));
    return list.size() > max ? joined + " + " + (list.size() - max) + " more..." : joined;
  }

  private static String metric(JsonNode spec, JsonNode status) {
    return switch (spec.path("type").asText()) {
      case "External" -> valueMetric(spec.path("external"), status.path("external"));
      case "Object" -> valueMetric(spec.path("object"), status.path("object"));
      case "Pods" ->
          current(status.path("pods"), "averageValue")
              + "/"
              + text(spec, "pods.target.averageValue");
      case "Resource" -> resourceMetric(spec.path("resource"), status.path("resource"));
      case "ContainerResource" ->
          resourceMetric(spec.path("containerResource"), status.path("containerResource"));
      default -> "<unknown type>";
    };
  }

  private static String valueMetric(JsonNode source, JsonNode status) {
    JsonNode target = source.path("target");
    if (Cells.exists(target.path("averageValue"))) {
      return current(status, "averageValue")
          + "/"
          + target.path("averageValue").asText()
          + " (avg)";
    }
    return current(status, "value") + "/" + target.path("value").asText("");
  }

  private static String resourceMetric(JsonNode source, JsonNode status) {
    String name = source.path("name").asText("");
    JsonNode target = source.path("target");
    if (Cells.exists(target.path("averageValue"))) {
      return name
          + ": "
          + current(status, "averageValue")
          + "/"
          + target.path("averageValue").asText();
    }
    String current =
        Cells.exists(status.path("current").path("averageUtilization"))
            ? status.path("current").path("averageUtilization").asLong() + "%"
            : "<unknown>";
    String goal =
        Cells.exists(target.path("averageUtilization"))
            ? target.path("averageUtilization").asLong() + "%"
            : "<auto>";
    return name + ": " + current + "/" + goal;
  }

  private static String current(JsonNode status, String field) {
    JsonNode v = status.path("current").path(field);
    return Cells.exists(v) ? v.asText() : "<unknown>";
  }

  public static TableBehavior podDisruptionBudget() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Min Available", "Pods that must stay available"),
            column("Max Unavailable", "Pods that may be unavailable"),
            typed("Allowed Disruptions", "integer", "Pods that may be disrupted now"),
            Cells.AGE);
    return TableBehavior.of(
        columns,
        (o, now) ->
            Cells.row(
                Cells.name(o),
                Cells.present(o, "spec.minAvailable") ? text(o, "spec.minAvailable") : "N/A",
                Cells.present(o, "spec.maxUnavailable") ? text(o, "spec.maxUnavailable") : "N/A",
                integer(o, "status.disruptionsAllowed"),
                Cells.age(o, now)));
  }
}
