package io.flotilla.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.util.List;

/** The four node conditions kubelet reports, healthy, with kubelet's reasons and messages. */
final class NodeConditions {
  private NodeConditions() {}

  private static final String[][] HEALTHY = {
    {
      "MemoryPressure",
      "False",
      "KubeletHasSufficientMemory",
      "kubelet has sufficient memory available"
    },
    {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
    {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
    {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
  };

  /** The conditions for a node registering now. */
  static List<NodeCondition> initial(Instant now) {
    String t = PodStatusPatch.time(now);
    return java.util.Arrays.stream(HEALTHY)
        .map(
            c ->
                new NodeConditionBuilder()
                    .withType(c[0])
                    .withStatus(c[1])
                    .withReason(c[2])
                    .withMessage(c[3])
                    .withLastHeartbeatTime(t)
                    .withLastTransitionTime(t)
                    .build())
        .toList();
  }

  /**
   * A strategic-merge patch of nodes/status refreshing every condition's heartbeat; Ready's
   * transition time is {@code readySince}, the others' the same (they never change here).
   */
  static String patch(Instant now, Instant readySince) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ArrayNode conds = root.putObject("status").putArray("conditions");
    for (String[] c : HEALTHY) {
      conds
          .addObject()
          .put("type", c[0])
          .put("status", c[1])
          .put("reason", c[2])
          .put("message", c[3])
          .put("lastHeartbeatTime", PodStatusPatch.time(now))
          .put("lastTransitionTime", PodStatusPatch.time(readySince));
    }
    return root.toString();
  }
}
