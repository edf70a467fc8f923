package io.flotilla.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.controllers.garbagecollector.Graph.Node;
import io.flotilla.controllers.runtime.Discovery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage collector's reads and writes of arbitrary resources (generic objects): live reads,
 * owner-reference and finalizer patches guarded by resourceVersion, deletes with a propagation
 * policy. Stateless apart from the discovery snapshot it was made with.
 */
final class Ops {
  /** An owner reference to a kind discovery does not list. */
  static final class UnknownKind extends Exception {
    UnknownKind(String kind) {
      super(kind);
    }
  }

  private final KubernetesClient client;
  private final Map<String, Discovery.Resource> byKind;

  Ops(KubernetesClient client, Map<String, Discovery.Resource> byKind) {
    this.client = client;
    this.byKind = byKind;
  }

  private Resource<GenericKubernetesResource> resource(
      ResourceDefinitionContext rdc, String ns, String name) {
    var ops = client.genericKubernetesResources(rdc);
    return rdc.isNamespaceScoped() ? ops.inNamespace(ns).withName(name) : ops.withName(name);
  }

  GenericKubernetesResource get(Node n) {
    return resource(n.resource().context(), n.namespace(), n.name()).get();
  }

  /** The live owner {@code ref} names, or null when it does not exist where it must be. */
  GenericKubernetesResource getOwner(Node dependent, OwnerReference ref) throws UnknownKind {
    String apiVersion = ref.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    Discovery.Resource r = byKind.get(group + "/" + ref.getKind());
    if (r == null) {
      throw new UnknownKind(ref.getKind());
    }
    if (r.context().isNamespaceScoped() && dependent.namespace().isEmpty()) {
      return null; // a cluster-scoped object cannot be owned by a namespaced one
    }
    return resource(r.context(), dependent.namespace(), ref.getName()).get();
  }

  void setOwnerReferences(Node n, GenericKubernetesResource live, List<OwnerReference> refs) {
    Map<String, Object> meta = new HashMap<>();
    // None left: null removes the field (merge patch), as upstream's omitempty shows no list.
    meta.put("ownerReferences", refs.isEmpty() ? null : refs);
    meta.put("resourceVersion", live.getMetadata().getResourceVersion());
    patch(n, meta);
  }

  void removeFinalizer(Node n, String finalizer) {
    GenericKubernetesResource live = get(n);
    if (live == null
        || !n.uid().equals(live.getMetadata().getUid())
        || live.getMetadata().getFinalizers() == null) {
      return;
    }
    List<String> rest =
        live.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList();
    if (rest.size() == live.getMetadata().getFinalizers().size()) {
      return;
    }
    Map<String, Object> meta = new HashMap<>();
    meta.put("finalizers", rest);
    meta.put("resourceVersion", live.getMetadata().getResourceVersion());
    patch(n, meta);
  }

  private void patch(Node n, Map<String, Object> meta) {
    try {
      resource(n.resource().context(), n.namespace(), n.name())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("metadata", meta)));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e; // 409: the object changed; the retry reads it again
      }
    }
  }

  void delete(Node n, DeletionPropagation policy) {
    try {
      resource(n.resource().context(), n.namespace(), n.name())
          .withPropagationPolicy(policy)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
