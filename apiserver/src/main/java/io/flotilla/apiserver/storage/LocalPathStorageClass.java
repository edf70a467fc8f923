package io.flotilla.apiserver.storage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.rest.ObjectMetaRules;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import java.time.Instant;
import java.util.UUID;

/**
 * The cluster's default StorageClass, {@code local-path}, as k3s ships it: volumes are directories
 * on the node that runs the first pod using the claim ({@code WaitForFirstConsumer}), deleted with
 * the claim ({@code Delete}). Written at every start when absent, as k3s re-applies its
 * local-storage manifest; a class edited or replaced by the user is left alone.
 *
 * <p>The provisioner is {@value #PROVISIONER} (the controllers module's {@code localpath} package),
 * not rancher's name, so that rancher's local-path-provisioner installed beside it claims only its
 * own classes.
 *
 * <p>Threading: {@link #ensure} blocks; called once from {@code ApiServer.start()}.
 */
public final class LocalPathStorageClass {
  public static final String NAME = "local-path";
  public static final String PROVISIONER = "flotilla.io/local-path";

  private LocalPathStorageClass() {}

  /** The StorageClass object as written when absent. */
  public static ObjectNode object(Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", NAME);
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", ObjectMetaRules.timestamp(now));
    meta.putObject("annotations").put(DefaultStorageClass.IS_DEFAULT_CLASS, "true");
    o.put("provisioner", PROVISIONER);
    o.put("reclaimPolicy", "Delete");
    o.put("volumeBindingMode", "WaitForFirstConsumer");
    return o;
  }

  /** Creates the class when no object of that name exists; does nothing without the kind. */
  public static void ensure(Store store, KindRegistry registry, Instant now) {
    ResourceType type = registry.byResource("storage.k8s.io", "v1", "storageclasses").orElse(null);
    if (type == null) {
      return;
    }
    store.txn(Txn.create(ObjectCodec.key(type, "", NAME), ObjectCodec.encode(object(now)))).join();
  }
}
