package io.flotilla.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Upstream's DefaultStorageClass admission: a PersistentVolumeClaim created without {@code
 * spec.storageClassName} (absent or null, and without the beta annotation {@code
 * volume.beta.kubernetes.io/storage-class}) gets the name of the default StorageClass. An explicit
 * {@code ""} is left alone: it asks for a volume without a class. When several classes are marked
 * default, the newest wins (ties: the name first in order), as upstream since 1.28; when none is,
 * the claim stays without a class.
 *
 * <p>Threading: stateless; {@link #admit} completes on a store thread.
 */
public final class DefaultStorageClass {
  public static final String IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_IS_DEFAULT_CLASS =
      "storageclass.beta.kubernetes.io/is-default-class";
  public static final String BETA_CLAIM_CLASS = "volume.beta.kubernetes.io/storage-class";

  private final Store store;
  private final KindRegistry registry;

  public DefaultStorageClass(Store store, KindRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  /** Whether the admission applies to objects of this type: core/v1 PersistentVolumeClaims. */
  public static boolean applies(ResourceType type) {
    return type.group().isEmpty() && type.kind().equals("PersistentVolumeClaim");
  }

  /** Sets the default class on {@code claim} when it asks for one; completes when done. */
  public CompletableFuture<Void> admit(ResourceType type, ObjectNode claim) {
    if (!applies(type) || !wantsDefault(claim)) {
      return CompletableFuture.completedFuture(null);
    }
    Optional<ResourceType> classes = registry.byResource("storage.k8s.io", "v1", "storageclasses");
    if (classes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return store
        .range(RangeRequest.prefix(ObjectCodec.prefix(classes.get(), "")))
        .thenAccept(
            r -> {
              List<ObjectNode> all = new ArrayList<>();
              for (KeyValue kv : r.kvs()) {
                all.add(ObjectCodec.decode(kv));
              }
              pick(all).ifPresent(name -> claim.with("spec").put("storageClassName", name));
            });
  }

  /** Whether the claim leaves its class to the default: no field, no beta annotation. */
  static boolean wantsDefault(ObjectNode claim) {
    JsonNode name = claim.path("spec").get("storageClassName");
    if (name != null && !name.isNull()) {
      return false;
    }
    return !claim.path("metadata").path("annotations").has(BETA_CLAIM_CLASS);
  }

  /** The default class among {@code classes}: the newest marked one; ties by name. */
  static Optional<String> pick(List<ObjectNode> classes) {
    return classes.stream()
        .filter(DefaultStorageClass::isDefault)
        .max(
            Comparator.comparing(
                    (ObjectNode c) -> c.path("metadata").path("creationTimestamp").asText(""))
                .thenComparing(
                    c -> c.path("metadata").path("name").asText(""), Comparator.reverseOrder()))
        .map(c -> c.path("metadata").path("name").asText());
  }

  /** Whether a StorageClass carries either default-class annotation set to "true". */
  public static boolean isDefault(JsonNode storageClass) {
    JsonNode a = storageClass.path("metadata").path("annotations");
    return a.path(IS_DEFAULT_CLASS).asText("").equals("true")
        || a.path(BETA_IS_DEFAULT_CLASS).asText("").equals("true");
  }
}
