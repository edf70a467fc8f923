package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.selector.LabelSelector;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.Txn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * POST pods/{name}/eviction (policy/v1 Eviction), as {@code kubectl drain} sends it: deletes the
 * pod unless that would break its PodDisruptionBudget, as upstream decides it. A pod covered by one
 * budget is evicted only while the budget's status allows a disruption; the allowance is taken from
 * the budget's status (compare-and-swap, so two evictions cannot spend one disruption) before the
 * pod is deleted. Otherwise 429, which drain retries. Terminal pods skip the budget.
 */
final class EvictionHandler {
  private static final int MAX_ATTEMPTS = 5;
  private static final String BUDGET_MESSAGE =
      "Cannot evict pod as it would violate the pod's disruption budget.";

  private final RestContext ctx;
  private final DeleteHandler deletes;

  EvictionHandler(RestContext ctx, DeleteHandler deletes) {
    this.ctx = ctx;
    this.deletes = deletes;
  }

  CompletableFuture<Reply> handle(ApiRequest req, Negotiation n) {
    ObjectNode eviction = BodyDecoder.decodeObject(req);
    String named = eviction.path("metadata").path("name").asText("");
    if (!named.isEmpty() && !named.equals(req.name())) {
      throw StatusException.badRequest(
          "name in URL does not match name in Eviction object: " + req.name() + " != " + named);
    }
    JsonNode options = eviction.path("deleteOptions");
    DeleteHandler.Options opts =
        new DeleteHandler.Options(
            options.hasNonNull("gracePeriodSeconds")
                ? options.get("gracePeriodSeconds").asLong()
                : null,
            options.path("propagationPolicy").asText(null),
            options.path("preconditions").path("uid").asText(null),
            options.path("preconditions").path("resourceVersion").asText(null));
    ResourceType pods = req.type();
    String ns = req.namespace();
    boolean dryRun = req.dryRun();
    return ctx.read(pods, ns, req.name())
        .thenCompose(
            pod -> {
              if (pod == null) {
                throw StatusException.notFound(pods, req.name());
              }
              String phase = pod.object().path("status").path("phase").asText("");
              if (phase.equals("Succeeded")
                  || phase.equals("Failed")
                  || pod.object().path("metadata").hasNonNull("deletionTimestamp")) {
                return CompletableFuture.completedFuture(null);
              }
              return spendDisruption(pod.object(), dryRun, 1);
            })
        .thenCompose(ignored -> deletes.deleteOne(pods, ns, req.name(), opts, dryRun, 1))
        .thenApply(deleted -> Replies.of(201, success(), req, n));
  }

  /** Takes one allowed disruption from the pod's budget, if it has one; 429 when none is left. */
  private CompletableFuture<Void> spendDisruption(ObjectNode pod, boolean dryRun, int attempt) {
    ResourceType pdbs =
        ctx.registry()
            .byResource("policy", "v1", "poddisruptionbudgets")
            .orElseThrow(() -> new IllegalStateException("the registry lacks PDBs"));
    String ns = pod.path("metadata").path("namespace").asText();
    Map<String, String> labels = new HashMap<>();
    pod.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return ctx.store()
        .range(RangeRequest.prefix(ObjectCodec.prefix(pdbs, ns)))
        .thenCompose(
            range -> {
              List<RestContext.Stored> covering =
                  range.kvs().stream()
                      .map(kv -> new RestContext.Stored(kv.key(), kv))
                      .filter(s -> covers(s.object(), labels))
                      .toList();
              if (covering.isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              if (covering.size() > 1) {
                throw new StatusException(
                    500,
                    "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction"
                        + " subresource does not support.",
                    null);
              }
              RestContext.Stored budget = covering.getFirst();
              ObjectNode status =
                  budget.object().path("status").isObject()
                      ? (ObjectNode) budget.object().get("status")
                      : JsonNodeFactory.instance.objectNode();
              long observed = status.path("observedGeneration").asLong(0);
              long generation = budget.object().path("metadata").path("generation").asLong(0);
              int allowed = status.path("disruptionsAllowed").asInt(0);
              if (observed < generation || allowed <= 0) {
                throw refused(budget.object(), status);
              }
              if (dryRun) {
                return CompletableFuture.completedFuture(null);
              }
              ObjectNode next = budget.object().deepCopy();
              ObjectNode nextStatus = next.withObject("status");
              nextStatus.put("disruptionsAllowed", allowed - 1);
              nextStatus
                  .withObject("disruptedPods")
                  .put(
                      pod.path("metadata").path("name").asText(),
                      ObjectMetaRules.timestamp(ctx.clock().instant()));
              ((ObjectNode) next.get("metadata")).remove("resourceVersion");
              return ctx.store()
                  .txn(Txn.update(budget.key(), ObjectCodec.encode(next), budget.revision()))
                  .thenCompose(
                      r -> {
                        if (r.succeeded()) {
                          return CompletableFuture.completedFuture(null);
                        }
                        if (attempt >= MAX_ATTEMPTS) {
                          throw StatusException.tooManyRequests();
                        }
                        return spendDisruption(pod, false, attempt + 1);
                      });
            });
  }

  private static boolean covers(ObjectNode pdb, Map<String, String> podLabels) {
    JsonNode selector = pdb.path("spec").path("selector");
    if (selector.isMissingNode() || selector.isNull()) {
      return false;
    }
    return LabelSelector.fromJson(selector).matches(podLabels);
  }

  private static StatusException refused(ObjectNode pdb, ObjectNode status) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    ObjectNode cause = details.putArray("causes").addObject();
    cause.put("reason", "DisruptionBudget");
    cause.put(
        "message",
        "The disruption budget %s needs %d healthy pods and has %d currently"
            .formatted(
                pdb.path("metadata").path("name").asText(),
                status.path("desiredHealthy").asInt(0),
                status.path("currentHealthy").asInt(0)));
    return new StatusException(429, "TooManyRequests", BUDGET_MESSAGE, details);
  }

  private static ObjectNode success() {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success").put("code", 201);
    return s;
  }
}
