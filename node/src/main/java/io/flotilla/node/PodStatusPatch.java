package io.flotilla.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A pod's status as the agent reports it, rendered as the strategic-merge patch it sends to
 * pods/status. Conditions merge by type and container statuses by name, so the patch carries only
 * what the agent owns; a container's state keys it does not set are sent as null so that a state
 * change (running → terminated) replaces rather than merges. Immutable.
 */
record PodStatusPatch(
    String phase,
    String hostIp,
    String podIp,
    Instant startTime,
    boolean addScheduledCondition,
    boolean sandboxReady,
    List<String> uninitialized,
    List<String> unready,
    Instant readyTransition,
    List<Container> initContainerStatuses,
    List<Container> containerStatuses) {

  /** How one container is doing. Exactly one of running/terminated/waiting applies. */
  record Container(
      String name,
      String image,
      String imageId,
      String containerId,
      int restartCount,
      boolean ready,
      boolean started,
      State state,
      State lastState) {}

  /** A container state: {@code running}, {@code terminated} or {@code waiting}. */
  record State(
      String kind,
      Instant startedAt,
      Instant finishedAt,
      int exitCode,
      String reason,
      String message,
      String containerId) {
    static State running(Instant startedAt) {
      return new State("running", startedAt, null, 0, null, null, null);
    }

    static State terminated(
        int exitCode, String reason, Instant startedAt, Instant finishedAt, String containerId) {
      return new State("terminated", startedAt, finishedAt, exitCode, reason, null, containerId);
    }

    static State waiting(String reason, String message) {
      return new State("waiting", null, null, 0, reason, message, null);
    }
  }

  boolean terminal() {
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  /** The JSON body of the strategic-merge patch. */
  String render() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode status = f.objectNode();
    status.put("phase", phase);
    status.put("hostIP", hostIp);
    status.putArray("hostIPs").addObject().put("ip", hostIp);
    if (podIp != null) {
      status.put("podIP", podIp);
      status.putArray("podIPs").addObject().put("ip", podIp);
    }
    if (startTime != null) {
      status.put("startTime", time(startTime));
    }
    ArrayNode conds = status.putArray("conditions");
    Instant start = startTime;
    condition(conds, "PodReadyToStartContainers", sandboxReady, null, null, start);
    condition(
        conds,
        "Initialized",
        uninitialized.isEmpty(),
        "ContainersNotInitialized",
        "containers with incomplete status: " + goList(uninitialized),
        start);
    String notReadyReason = terminal() ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage =
        terminal() ? null : "containers with unready status: " + goList(unready);
    condition(
        conds,
        "Ready",
        unready.isEmpty() && !terminal(),
        notReadyReason,
        notReadyMessage,
        readyTransition);
    condition(
        conds,
        "ContainersReady",
        unready.isEmpty() && !terminal(),
        notReadyReason,
        notReadyMessage,
        readyTransition);
    if (addScheduledCondition) {
      condition(conds, "PodScheduled", true, null, null, start);
    }
    containers(status.putArray("initContainerStatuses"), initContainerStatuses);
    containers(status.putArray("containerStatuses"), containerStatuses);
    ObjectNode patch = f.objectNode();
    patch.set("status", status);
    return patch.toString();
  }

  private static void condition(
      ArrayNode conds, String type, boolean ok, String reason, String message, Instant at) {
    ObjectNode c = conds.addObject();
    c.put("type", type);
    c.put("status", ok ? "True" : "False");
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", at == null ? null : time(at));
    if (ok) {
      c.putNull("reason");
      c.putNull("message");
    } else {
      c.put("reason", reason);
      c.put("message", message);
    }
  }

  private static void containers(ArrayNode out, List<Container> cs) {
    for (Container c : cs) {
      ObjectNode o = out.addObject();
      o.put("name", c.name());
      o.put("image", c.image());
      o.put("imageID", c.imageId());
      if (c.containerId() != null) {
        o.put("containerID", c.containerId());
      } else {
        o.putNull("containerID");
      }
      o.put("restartCount", c.restartCount());
      o.put("ready", c.ready());
      o.put("started", c.started());
      state(o.putObject("state"), c.state());
      if (c.lastState() == null) {
        o.putObject("lastState").putNull("running").putNull("terminated").putNull("waiting");
      } else {
        state(o.putObject("lastState"), c.lastState());
      }
    }
  }

  private static void state(ObjectNode o, State s) {
    for (String k : new String[] {"running", "terminated", "waiting"}) {
      if (!k.equals(s.kind())) {
        o.putNull(k);
      }
    }
    ObjectNode d = o.putObject(s.kind());
    switch (s.kind()) {
      case "running" -> d.put("startedAt", time(s.startedAt()));
      case "terminated" -> {
        d.put("exitCode", s.exitCode());
        d.put("reason", s.reason());
        d.put("startedAt", s.startedAt() == null ? null : time(s.startedAt()));
        d.put("finishedAt", s.finishedAt() == null ? null : time(s.finishedAt()));
        d.put("containerID", s.containerId());
      }
      default -> {
        d.put("reason", s.reason());
        if (s.message() != null) {
          d.put("message", s.message());
        }
      }
    }
  }

  /** A list as Go's %v prints it: [a b]. */
  private static String goList(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  /** RFC 3339 with whole seconds, as metav1.Time serializes. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
