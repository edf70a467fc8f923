package io.flotilla.controllers.namespace;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Discovery;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The namespace controller (upstream's {@code namespace-controller}): a namespace being deleted
 * still holds the {@code kubernetes} finalizer in {@code spec.finalizers}; this controller deletes
 * every namespaced object in it — every resource discovery lists, custom ones included — and, once
 * nothing is left, removes that finalizer through the {@code finalize} subresource, which lets the
 * apiserver remove the namespace. Progress shows in the upstream status conditions
 * (NamespaceDeletionDiscoveryFailure, NamespaceDeletionContentFailure, NamespaceContentRemaining,
 * NamespaceFinalizersRemaining). Threading: see {@link Controller}.
 */
public final class NamespaceController implements Reconciler {
  public static final String NAME = "namespace";
  public static final String FINALIZER = "kubernetes";

  /** How soon to look again while content (pods with a grace period, finalizers) remains. */
  static final Duration RECHECK = Duration.ofSeconds(2);

  private final ControllerContext ctx;
  private final SharedIndexInformer<Namespace> namespaces;

  private NamespaceController(ControllerContext ctx) {
    this.ctx = ctx;
    this.namespaces = ctx.informers().forType(Namespace.class);
  }

  public static Controller create(ControllerContext ctx) {
    NamespaceController r = new NamespaceController(ctx);
    return Controller.builder(ctx, NAME, r).watch(r.namespaces).workers(2).build();
  }

  @Override
  public Result reconcile(String name) {
    Namespace ns = namespaces.getStore().getByKey(name);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) {
      return Result.done();
    }
    List<String> fins =
        ns.getSpec() == null || ns.getSpec().getFinalizers() == null
            ? List.of()
            : ns.getSpec().getFinalizers();
    if (!fins.contains(FINALIZER)) {
      return Result.done();
    }
    List<Discovery.Resource> resources;
    try {
      resources =
          Discovery.preferredResources(ctx.client()).stream()
              .filter(
                  r ->
                      r.context().isNamespaceScoped()
                          && r.verbs().contains("delete")
                          && r.verbs().contains("list"))
              .toList();
    } catch (KubernetesClientException e) {
      setConditions(
          ns,
          List.of(
              cond(
                  "NamespaceDeletionDiscoveryFailure",
                  "True",
                  "DiscoveryFailed",
                  "Discovery failed: " + e.getMessage())));
      throw e;
    }
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> remaining = java.util.Collections.synchronizedMap(new TreeMap<>());
    Map<String, Integer> finalizersLeft = java.util.Collections.synchronizedMap(new TreeMap<>());
    // One resource per virtual thread: the calls are independent and mostly waiting.
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (Discovery.Resource r : resources) {
        pool.execute(() -> empty(r, name, failures, remaining, finalizersLeft));
      }
    }
    List<NamespaceCondition> conds = new ArrayList<>();
    conds.add(
        cond(
            "NamespaceDeletionDiscoveryFailure",
            "False",
            "ResourcesDiscovered",
            "All resources successfully discovered"));
    conds.add(
        cond(
            "NamespaceDeletionGroupVersionParsingFailure",
            "False",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed"));
    conds.add(
        failures.isEmpty()
            ? cond(
                "NamespaceDeletionContentFailure",
                "False",
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization")
            : cond(
                "NamespaceDeletionContentFailure",
                "True",
                "ContentDeletionFailed",
                "Failed to delete all resource types, "
                    + failures.size()
                    + " remaining: "
                    + String.join(", ", failures)));
    conds.add(
        remaining.isEmpty()
            ? cond(
                "NamespaceContentRemaining",
                "False",
                "ContentRemoved",
                "All content successfully removed")
            : cond(
                "NamespaceContentRemaining",
                "True",
                "SomeResourcesRemain",
                "Some resources are remaining: " + describe(remaining, " has ")));
    conds.add(
        finalizersLeft.isEmpty()
            ? cond(
                "NamespaceFinalizersRemaining",
                "False",
                "ContentHasNoFinalizers",
                "All content-preserving finalizers finished")
            : cond(
                "NamespaceFinalizersRemaining",
                "True",
                "SomeFinalizersRemain",
                "Some content in the namespace has finalizers remaining: "
                    + describe(finalizersLeft, " in ")));
    ns = setConditions(ns, conds);
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "namespace " + name + ": could not delete all content: " + failures);
    }
    if (!remaining.isEmpty()) {
      return Result.requeueAfter(RECHECK);
    }
    finalize(ns);
    return Result.done();
  }

  /** Deletes everything of {@code r} in {@code ns}, then counts what is left and its finalizers. */
  private void empty(
      Discovery.Resource r,
      String ns,
      List<String> failures,
      Map<String, Integer> remaining,
      Map<String, Integer> finalizersLeft) {
    try {
      deleteAll(r, ns);
      for (GenericKubernetesResource o :
          ctx.client().genericKubernetesResources(r.context()).inNamespace(ns).list().getItems()) {
        remaining.merge(
            r.group().isEmpty()
                ? r.context().getPlural()
                : r.context().getPlural() + "." + r.group(),
            1,
            Integer::sum);
        if (o.getMetadata().getFinalizers() != null) {
          o.getMetadata().getFinalizers().forEach(f -> finalizersLeft.merge(f, 1, Integer::sum));
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 405) {
        failures.add(r.key() + ": " + e.getMessage());
      }
    }
  }

  private void deleteAll(Discovery.Resource r, String ns) {
    var ops = ctx.client().genericKubernetesResources(r.context()).inNamespace(ns);
    if (r.verbs().contains("deletecollection")) {
      ops.delete();
      return;
    }
    for (GenericKubernetesResource o : ops.list().getItems()) {
      if (o.getMetadata().getDeletionTimestamp() == null) {
        ops.withName(o.getMetadata().getName()).delete();
      }
    }
  }

  /** Upstream's wording: "configmaps has 2 resource instances", "x/y in 1 resource instances". */
  private static String describe(Map<String, Integer> counts, String joiner) {
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k + joiner + v + " resource instances"));
    return String.join(", ", parts);
  }

  private NamespaceCondition cond(String type, String status, String reason, String message) {
    return new NamespaceCondition(Pods.timestamp(ctx.clock().now()), message, reason, status, type);
  }

  /** Writes the conditions that changed (keeping transition times of unchanged ones). */
  private Namespace setConditions(Namespace ns, List<NamespaceCondition> conds) {
    List<NamespaceCondition> old =
        ns.getStatus() == null || ns.getStatus().getConditions() == null
            ? List.of()
            : ns.getStatus().getConditions();
    List<NamespaceCondition> next = new ArrayList<>();
    boolean changed = false;
    for (NamespaceCondition c : conds) {
      NamespaceCondition prior =
          old.stream().filter(o -> o.getType().equals(c.getType())).findFirst().orElse(null);
      if (prior != null
          && prior.getStatus().equals(c.getStatus())
          && Objects.equals(prior.getReason(), c.getReason())
          && Objects.equals(prior.getMessage(), c.getMessage())) {
        next.add(prior);
      } else {
        next.add(c);
        changed = true;
      }
    }
    if (!changed) {
      return ns;
    }
    Namespace copy =
        new NamespaceBuilder(ns).editOrNewStatus().withConditions(next).endStatus().build();
    try {
      return ctx.client().namespaces().resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return ns;
      }
      throw e;
    }
  }

  /** PUT …/finalize without the {@code kubernetes} finalizer. */
  private void finalize(Namespace ns) {
    List<String> rest =
        ns.getSpec().getFinalizers().stream().filter(f -> !f.equals(FINALIZER)).toList();
    // A map, not the model: the model leaves out an empty list, and "finalizers": [] is the point.
    Map<String, Object> body =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Namespace",
            "metadata",
            Map.of(
                "name",
                ns.getMetadata().getName(),
                "resourceVersion",
                ns.getMetadata().getResourceVersion()),
            "spec",
            Map.of("finalizers", rest));
    try {
      ctx.client()
          .raw(
              ctx.client().getMasterUrl().toString().replaceAll("/$", "")
                  + "/api/v1/namespaces/"
                  + ns.getMetadata().getName()
                  + "/finalize",
              "PUT",
              body);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
