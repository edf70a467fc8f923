package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.at;
import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.present;
import static io.flotilla.api.kinds.Cells.text;
import static io.flotilla.api.kinds.Cells.wide;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.Durations;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Pods and pod templates: upstream's pod columns, including the STATUS reason kubectl users read
 * ("CrashLoopBackOff", "Init:0/1", "Terminating") and RESTARTS with the time of the last restart.
 */
public final class PodBehavior {
  private PodBehavior() {}

  static final List<TableColumn> COLUMNS =
      List.of(
          Cells.NAME,
          column("Ready", "Ready containers out of all containers"),
          column("Status", "The aggregate status of the pod's containers"),
          column("Restarts", "Container restarts, and how long ago the last one was"),
          Cells.AGE,
          wide("IP", "The pod's first IP address"),
          wide("Node", "The node the pod is bound to"),
          wide("Nominated Node", "The node the scheduler nominated for preemption"),
          wide("Readiness Gates", "Readiness gates whose condition is True, out of all"));

  static final List<TableColumn> TEMPLATE_COLUMNS =
      List.of(
          Cells.NAME,
          column("Containers", "Names of the containers in the template"),
          column("Images", "Images of the containers in the template"),
          column("Pod Labels", "Labels of the pod template"));

  public static TableBehavior pod() {
    return TableBehavior.of(COLUMNS, PodBehavior::cells).withSelectors(selectors());
  }

  public static TableBehavior podTemplate() {
    return TableBehavior.of(
            TEMPLATE_COLUMNS,
            (o, now) -> {
              JsonNode spec = o.path("template").path("spec");
              return Cells.row(
                  Cells.name(o),
                  Cells.containerNames(spec.path("containers")),
                  Cells.containerImages(spec.path("containers")),
                  Cells.labels(o.path("template").path("metadata").path("labels")));
            })
        .withoutGeneration();
  }

  static Map<String, Function<JsonNode, String>> selectors() {
    Map<String, Function<JsonNode, String>> m =
        new LinkedHashMap<>(
            Cells.textSelectors(
                List.of(
                    "spec.nodeName",
                    "spec.restartPolicy",
                    "spec.schedulerName",
                    "spec.serviceAccountName",
                    "status.phase",
                    "status.nominatedNodeName")));
    // Old clients select on spec.host, which upstream maps to spec.nodeName.
    m.put("spec.host", o -> text(o, "spec.nodeName"));
    m.put("spec.hostNetwork", o -> String.valueOf(Cells.bool(o, "spec.hostNetwork")));
    m.put("status.podIP", PodBehavior::podIp);
    return m;
  }

  static String podIp(JsonNode pod) {
    JsonNode ips = at(pod, "status.podIPs");
    if (ips.size() > 0) {
      return ips.get(0).path("ip").asText("");
    }
    return text(pod, "status.podIP");
  }

  static List<Object> cells(JsonNode pod, Instant now) {
    Summary s = summarize(pod);
    String restarts = String.valueOf(s.restarts);
    if (s.restarts != 0 && s.lastRestart != null) {
      restarts =
          s.restarts
              + " ("
              + Durations.human(java.time.Duration.between(s.lastRestart, now))
              + " ago)";
    }
    return Cells.row(
        Cells.name(pod),
        s.ready + "/" + s.total,
        s.reason,
        restarts,
        Cells.age(pod, now),
        Cells.orNone(podIp(pod)),
        Cells.orNone(text(pod, "spec.nodeName")),
        Cells.orNone(text(pod, "status.nominatedNodeName")),
        readinessGates(pod));
  }

  /** What the STATUS, READY and RESTARTS cells are computed from. */
  private static final class Summary {
    String reason;
    int ready;
    int total;
    long restarts;
    Instant lastRestart;
    long sidecarRestarts;
    Instant lastSidecarRestart;
  }

  static Summary summarize(JsonNode pod) {
    Summary s = new Summary();
    JsonNode status = pod.path("status");
    String phase = status.path("phase").asText("");
    s.reason = status.path("reason").asText("").isEmpty() ? phase : status.path("reason").asText();
    for (JsonNode c : status.path("conditions")) {
      if ("PodScheduled".equals(c.path("type").asText())
          && "SchedulingGated".equals(c.path("reason").asText())) {
        s.reason = "SchedulingGated";
      }
    }
    s.total = pod.path("spec").path("containers").size();
    Set<String> sidecars = new HashSet<>();
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      if ("Always".equals(c.path("restartPolicy").asText())) {
        sidecars.add(c.path("name").asText());
        s.total++;
      }
    }
    boolean initializing = initContainers(pod, sidecars, s);
    if (!initializing || conditionTrue(status, "Initialized")) {
      appContainers(status, s);
    }
    if (Cells.deleting(pod) && "NodeLost".equals(status.path("reason").asText())) {
      s.reason = "Unknown";
    } else if (Cells.deleting(pod) && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      s.reason = "Terminating";
    }
    return s;
  }

  /** Walks init containers in order; returns whether the pod is still initializing. */
  private static boolean initContainers(JsonNode pod, Set<String> sidecars, Summary s) {
    JsonNode statuses = pod.path("status").path("initContainerStatuses");
    int declared = pod.path("spec").path("initContainers").size();
    for (int i = 0; i < statuses.size(); i++) {
      JsonNode c = statuses.get(i);
      boolean sidecar = sidecars.contains(c.path("name").asText());
      long count = c.path("restartCount").asLong(0);
      Instant finished = lastTerminated(c);
      s.restarts += count;
      s.lastRestart = later(s.lastRestart, finished);
      if (sidecar) {
        s.sidecarRestarts += count;
        s.lastSidecarRestart = later(s.lastSidecarRestart, finished);
      }
      JsonNode terminated = c.path("state").path("terminated");
      JsonNode waiting = c.path("state").path("waiting");
      if (Cells.exists(terminated) && terminated.path("exitCode").asInt(0) == 0) {
        continue;
      }
      if (sidecar && c.path("started").asBoolean(false)) {
        if (c.path("ready").asBoolean(false)) {
          s.ready++;
        }
        continue;
      }
      if (Cells.exists(terminated)) {
        s.reason = "Init:" + terminatedReason(terminated);
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !"PodInitializing".equals(waiting.path("reason").asText())) {
        s.reason = "Init:" + waiting.path("reason").asText();
      } else {
        s.reason = "Init:" + i + "/" + declared;
      }
      return true;
    }
    return false;
  }

  /** Walks app containers from last to first, so the first container's state wins. */
  private static void appContainers(JsonNode status, Summary s) {
    s.restarts = s.sidecarRestarts;
    s.lastRestart = s.lastSidecarRestart;
    boolean hasRunning = false;
    JsonNode statuses = status.path("containerStatuses");
    for (int i = statuses.size() - 1; i >= 0; i--) {
      JsonNode c = statuses.get(i);
      s.restarts += c.path("restartCount").asLong(0);
      s.lastRestart = later(s.lastRestart, lastTerminated(c));
      JsonNode waiting = c.path("state").path("waiting");
      JsonNode terminated = c.path("state").path("terminated");
      if (!waiting.path("reason").asText("").isEmpty()) {
        s.reason = waiting.path("reason").asText();
      } else if (Cells.exists(terminated)) {
        s.reason = terminatedReason(terminated);
      } else if (c.path("ready").asBoolean(false) && present(c, "state.running")) {
        hasRunning = true;
        s.ready++;
      }
    }
    if ("Completed".equals(s.reason) && hasRunning) {
      s.reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
    }
  }

  private static String terminatedReason(JsonNode terminated) {
    String reason = terminated.path("reason").asText("");
    if (!reason.isEmpty()) {
      return reason;
    }
    int signal = terminated.path("signal").asInt(0);
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asInt(0);
  }

  private static Instant lastTerminated(JsonNode containerStatus) {
    String finished = text(containerStatus, "lastState.terminated.finishedAt");
    if (finished.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(finished);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b != null && b.isAfter(a) ? b : a;
  }

  static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  private static String readinessGates(JsonNode pod) {
    JsonNode gates = pod.path("spec").path("readinessGates");
    if (gates.isEmpty()) {
      return "<none>";
    }
    int trueCount = 0;
    for (JsonNode gate : gates) {
      if (conditionTrue(pod.path("status"), gate.path("conditionType").asText())) {
        trueCount++;
      }
    }
    return trueCount + "/" + gates.size();
  }
}
