package io.flotilla.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.flotilla.node.stats.NodePressure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four node conditions kubelet reports, with kubelet's reasons and messages: the pressure
 * conditions as a {@link NodePressure} source says (healthy when there is none), Ready always True.
 */
final class NodeConditions {
  private NodeConditions() {}

  /** MemoryPressure, DiskPressure and PIDPressure all False: a node nobody measures. */
  static final List<NodePressure.Condition> NO_PRESSURE =
      List.of(
          new NodePressure.Condition(
              NodePressure.MEMORY,
              "False",
              "KubeletHasSufficientMemory",
              "kubelet has sufficient memory available"),
          new NodePressure.Condition(
              NodePressure.DISK,
              "False",
              "KubeletHasNoDiskPressure",
              "kubelet has no disk pressure"),
          new NodePressure.Condition(
              NodePressure.PID,
              "False",
              "KubeletHasSufficientPID",
              "kubelet has sufficient PID available"));

  private static final NodePressure.Condition READY =
      new NodePressure.Condition(
          "Ready", "True", "KubeletReady", "kubelet is posting ready status");

  /** The conditions for a node registering now. */
  static List<NodeCondition> initial(Instant now) {
    String t = PodStatusPatch.time(now);
    return all(NO_PRESSURE).stream()
        .map(
            c ->
                new NodeConditionBuilder()
                    .withType(c.type())
                    .withStatus(c.status())
                    .withReason(c.reason())
                    .withMessage(c.message())
                    .withLastHeartbeatTime(t)
                    .withLastTransitionTime(t)
                    .build())
        .toList();
  }

  /**
   * A strategic-merge patch of nodes/status refreshing every condition's heartbeat, with {@code
   * pressure} as measured and Ready True; each pressure condition's transition time is its entry in
   * {@code since} (when its status last changed), else {@code readySince}.
   */
  static String patch(
      Instant now,
      Instant readySince,
      List<NodePressure.Condition> pressure,
      Map<String, Instant> since) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ArrayNode conds = root.putObject("status").putArray("conditions");
    for (NodePressure.Condition c : all(pressure)) {
      Instant transition = c == READY ? readySince : since.getOrDefault(c.type(), readySince);
      conds
          .addObject()
          .put("type", c.type())
          .put("status", c.status())
          .put("reason", c.reason())
          .put("message", c.message())
          .put("lastHeartbeatTime", PodStatusPatch.time(now))
          .put("lastTransitionTime", PodStatusPatch.time(transition));
    }
    return root.toString();
  }

  private static List<NodePressure.Condition> all(List<NodePressure.Condition> pressure) {
    List<NodePressure.Condition> out = new ArrayList<>(pressure);
    out.add(READY);
    return out;
  }
}
