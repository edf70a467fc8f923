package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.integer;
import static io.flotilla.api.kinds.Cells.typed;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The controllers that keep pods running: Deployments, ReplicaSets, StatefulSets, DaemonSets,
 * ReplicationControllers, and the ControllerRevisions they record history in.
 */
public final class WorkloadBehaviors {
  private WorkloadBehaviors() {}

  private static final TableColumn SELECTOR = Cells.wide("Selector", "The pod label selector");

  /** Upstream selects ReplicaSets and ReplicationControllers on status.replicas. */
  private static final Map<String, java.util.function.Function<JsonNode, String>> REPLICAS =
      Map.of("status.replicas", o -> String.valueOf(integer(o, "status.replicas")));

  public static TableBehavior deployment() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Ready", "Ready pods out of desired pods"),
            column("Up-to-date", "Pods running the current template"),
            column("Available", "Pods available to serve"),
            Cells.AGE,
            Cells.CONTAINERS,
            Cells.IMAGES,
            SELECTOR);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          JsonNode podSpec = o.path("spec").path("template").path("spec");
          return Cells.row(
              Cells.name(o),
              integer(o, "status.readyReplicas") + "/" + integer(o, "spec.replicas"),
              integer(o, "status.updatedReplicas"),
              integer(o, "status.availableReplicas"),
              Cells.age(o, now),
              Cells.containerNames(podSpec.path("containers")),
              Cells.containerImages(podSpec.path("containers")),
              Cells.selector(o.path("spec").path("selector")));
        });
  }

  public static TableBehavior replicaSet() {
    return replicaCounting(
        o -> Cells.formatSelector(o.path("spec").path("selector")), "The pod label selector");
  }

  public static TableBehavior replicationController() {
    return replicaCounting(
        o -> Cells.labels(o.path("spec").path("selector")), "The pod labels selected");
  }

  private static TableBehavior replicaCounting(
      java.util.function.Function<JsonNode, String> selector, String selectorDescription) {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            typed("Desired", "integer", "Desired replicas"),
            typed("Current", "integer", "Replicas created"),
            typed("Ready", "integer", "Replicas ready"),
            Cells.AGE,
            Cells.CONTAINERS,
            Cells.IMAGES,
            Cells.wide("Selector", selectorDescription));
    return TableBehavior.of(
            columns,
            (o, now) -> {
              JsonNode containers = o.path("spec").path("template").path("spec").path("containers");
              return Cells.row(
                  Cells.name(o),
                  integer(o, "spec.replicas"),
                  integer(o, "status.replicas"),
                  integer(o, "status.readyReplicas"),
                  Cells.age(o, now),
                  Cells.containerNames(containers),
                  Cells.containerImages(containers),
                  selector.apply(o));
            })
        .withSelectors(REPLICAS);
  }

  public static TableBehavior statefulSet() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Ready", "Ready pods out of desired pods"),
            Cells.AGE,
            Cells.CONTAINERS,
            Cells.IMAGES);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          JsonNode containers = o.path("spec").path("template").path("spec").path("containers");
          return Cells.row(
              Cells.name(o),
              integer(o, "status.readyReplicas") + "/" + integer(o, "spec.replicas"),
              Cells.age(o, now),
              Cells.containerNames(containers),
              Cells.containerImages(containers));
        });
  }

  public static TableBehavior daemonSet() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            typed("Desired", "integer", "Nodes that should run the daemon pod"),
            typed("Current", "integer", "Nodes running the daemon pod"),
            typed("Ready", "integer", "Nodes whose daemon pod is ready"),
            typed("Up-to-date", "integer", "Nodes running the current template"),
            typed("Available", "integer", "Nodes whose daemon pod is available"),
            column("Node Selector", "The node selector of the pod template"),
            Cells.AGE,
            Cells.CONTAINERS,
            Cells.IMAGES,
            SELECTOR);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          JsonNode podSpec = o.path("spec").path("template").path("spec");
          return Cells.row(
              Cells.name(o),
              integer(o, "status.desiredNumberScheduled"),
              integer(o, "status.currentNumberScheduled"),
              integer(o, "status.numberReady"),
              integer(o, "status.updatedNumberScheduled"),
              integer(o, "status.numberAvailable"),
              Cells.labels(podSpec.path("nodeSelector")),
              Cells.age(o, now),
              Cells.containerNames(podSpec.path("containers")),
              Cells.containerImages(podSpec.path("containers")),
              Cells.formatSelector(o.path("spec").path("selector")));
        });
  }

  public static TableBehavior controllerRevision() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Controller", "The controller that owns the revision"),
            column("Revision", "The revision number"),
            Cells.AGE);
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(Cells.name(o), controller(o), integer(o, "revision"), Cells.age(o, now)))
        .withoutGeneration();
  }

  /** The controlling owner as "statefulset.apps/web", "<none>" without one. */
  static String controller(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String apiVersion = ref.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String kind = ref.path("kind").asText("");
        String groupKind = group.isEmpty() ? kind : kind + "." + group;
        String name = ref.path("name").asText("");
        return kind.isEmpty() ? name : groupKind.toLowerCase(Locale.ROOT) + "/" + name;
      }
    }
    return "<none>";
  }
}
