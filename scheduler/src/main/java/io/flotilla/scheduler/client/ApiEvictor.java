package io.flotilla.scheduler.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.scheduler.plugins.defaultpreemption.Evictor;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Removes a preemption victim as upstream's preemption does (not through the Eviction API, which
 * would honour PodDisruptionBudgets the scheduler already weighed): marks the pod with the
 * DisruptionTarget=True condition (reason PreemptionByScheduler) through pods/status, deletes it
 * with its own grace period, and records a {@code Preempted} Event on it naming the preemptor. A
 * victim already gone counts as evicted.
 *
 * <p>Threading: thread-safe; blocks for two round trips (called on the scheduling thread, which
 * upstream blocks the same way).
 */
public final class ApiEvictor implements Evictor {
  public static final String DISRUPTION_TARGET = "DisruptionTarget";
  public static final String REASON_PREEMPTION = "PreemptionByScheduler";
  public static final String REASON_PREEMPTED = "Preempted";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Clock clock;
  private final EventWriter events;

  public ApiEvictor(KubernetesClient client, Clock clock, EventWriter events) {
    this.client = client;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public void evict(Pod victim, Pod preemptor) {
    String ns = victim.getMetadata().getNamespace();
    String name = victim.getMetadata().getName();
    var pod = client.pods().inNamespace(ns).withName(name);
    try {
      if (!hasDisruptionTarget(victim)) {
        pod.subresource("status")
            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), disruptionPatch(preemptor));
      }
      pod.delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    events.emit(
        victim,
        "Normal",
        REASON_PREEMPTED,
        "Preempting",
        "Preempted by pod "
            + preemptor.getMetadata().getUid()
            + " on node "
            + victim.getSpec().getNodeName());
  }

  private String disruptionPatch(Pod preemptor) {
    String scheduler = preemptor.getSpec().getSchedulerName();
    ObjectNode condition = JSON.createObjectNode();
    condition.put("type", DISRUPTION_TARGET);
    condition.put("status", "True");
    condition.put("reason", REASON_PREEMPTION);
    condition.put(
        "message",
        (scheduler == null ? "default-scheduler" : scheduler)
            + ": preempting to accommodate a higher priority pod");
    condition.put(
        "lastTransitionTime",
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("status").putArray("conditions").add(condition);
    return patch.toString();
  }

  private static boolean hasDisruptionTarget(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }
}
