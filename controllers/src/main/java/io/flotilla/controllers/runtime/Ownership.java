package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Owner references: the controller reference a controller sets, and adopt/release writes. */
public final class Ownership {
  private Ownership() {}

  /** The owner reference a controller puts on what it creates ({@code controller: true}). */
  public static OwnerReference controllerRef(HasMetadata owner, String apiVersion, String kind) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * Replaces {@code obj}'s owner references with {@code refs} (a JSON merge patch guarded by its
   * resourceVersion, so a stale cache gets a 409 and the caller retries). Returns the new object.
   */
  public static <T extends HasMetadata> T setOwnerReferences(
      KubernetesClient client, Class<T> type, T obj, List<OwnerReference> refs) {
    Map<String, Object> meta = new HashMap<>();
    // None left: null removes the field (merge patch), as upstream's omitempty shows no list.
    meta.put("ownerReferences", refs.isEmpty() ? null : refs);
    meta.put("resourceVersion", obj.getMetadata().getResourceVersion());
    String patch = Serialization.asJson(Map.of("metadata", meta));
    var ops = client.resources(type);
    var named =
        obj.getMetadata().getNamespace() == null
            ? ops.withName(obj.getMetadata().getName())
            : ops.inNamespace(obj.getMetadata().getNamespace())
                .withName(obj.getMetadata().getName());
    return named.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }
}
