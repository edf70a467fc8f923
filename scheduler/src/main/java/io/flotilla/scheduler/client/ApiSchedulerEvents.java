package io.flotilla.scheduler.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.scheduler.SchedulerEvents;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the scheduler's outcomes into what upstream's kube-scheduler writes: a {@code Scheduled}
 * Event on success (the API server's binding sets PodScheduled=True), and on failure a {@code
 * FailedScheduling} Warning with the summary message plus a strategic-merge patch of pods/status
 * setting PodScheduled=False with the reason and message and, after preemption,
 * status.nominatedNodeName. As upstream, the status is only patched when the condition or the
 * nomination changes, so retries of a pod that still does not fit cost one Event each.
 *
 * <p>Threading: thread-safe and non-blocking: Events go through the {@link EventWriter}, status
 * patches run on virtual threads.
 */
public final class ApiSchedulerEvents implements SchedulerEvents, AutoCloseable {
  public static final String REASON_SCHEDULED = "Scheduled";
  public static final String REASON_FAILED = "FailedScheduling";
  public static final String POD_SCHEDULED = "PodScheduled";
  private static final Logger LOG = LoggerFactory.getLogger(ApiSchedulerEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Clock clock;
  private final EventWriter events;
  private final ExecutorService patches = Executors.newVirtualThreadPerTaskExecutor();

  public ApiSchedulerEvents(KubernetesClient client, Clock clock, EventWriter events) {
    this.client = client;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public void scheduled(Pod pod, String nodeName) {
    var m = pod.getMetadata();
    events.emit(
        pod,
        "Normal",
        REASON_SCHEDULED,
        "Binding",
        "Successfully assigned " + m.getNamespace() + "/" + m.getName() + " to " + nodeName);
  }

  @Override
  public void failed(Pod pod, String message, String reason, String nominatedNodeName) {
    events.emit(pod, "Warning", REASON_FAILED, "Scheduling", message);
    Map<String, Object> status = statusPatch(pod, message, reason, nominatedNodeName);
    if (status.isEmpty()) {
      return;
    }
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    patches.execute(
        () -> {
          try {
            client
                .pods()
                .inNamespace(ns)
                .withName(name)
                .subresource("status")
                .patch(
                    PatchContext.of(PatchType.STRATEGIC_MERGE),
                    JSON.createObjectNode().set("status", JSON.valueToTree(status)).toString());
          } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // a pod deleted meanwhile needs no status
              LOG.warn("cannot update the status of pod {}/{}: {}", ns, name, e.getMessage());
            }
          }
        });
  }

  /**
   * The status fields to patch, or nothing when the pod already shows this outcome. The condition's
   * lastTransitionTime moves only when its status does, as upstream's UpdatePodCondition.
   */
  Map<String, Object> statusPatch(
      Pod pod, String message, String reason, String nominatedNodeName) {
    PodCondition current = null;
    String currentNominated = null;
    if (pod.getStatus() != null) {
      currentNominated = pod.getStatus().getNominatedNodeName();
      for (PodCondition c :
          Objects.requireNonNullElse(pod.getStatus().getConditions(), List.<PodCondition>of())) {
        if (POD_SCHEDULED.equals(c.getType())) {
          current = c;
        }
      }
    }
    Map<String, Object> status = new LinkedHashMap<>();
    boolean sameCondition =
        current != null
            && "False".equals(current.getStatus())
            && Objects.equals(reason, current.getReason())
            && Objects.equals(message, current.getMessage());
    if (!sameCondition) {
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", POD_SCHEDULED);
      condition.put("status", "False");
      condition.put("reason", reason);
      condition.put("message", message);
      condition.put("lastProbeTime", null);
      condition.put(
          "lastTransitionTime",
          current != null && "False".equals(current.getStatus())
              ? current.getLastTransitionTime()
              : DateTimeFormatter.ISO_INSTANT.format(
                  clock.instant().truncatedTo(ChronoUnit.SECONDS)));
      status.put("conditions", List.of(condition));
    }
    if (nominatedNodeName != null
        && !nominatedNodeName.equals(Objects.requireNonNullElse(currentNominated, ""))) {
      // "" clears it: a strategic-merge null deletes the field.
      status.put("nominatedNodeName", nominatedNodeName.isEmpty() ? null : nominatedNodeName);
    }
    return status;
  }

  @Override
  public void close() {
    patches.shutdownNow();
  }
}
