package io.flotilla.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The annotations, phases and reasons the binder, the provisioners and the scheduler share. */
public final class VolumeAnnotations {
  /** On a claim: the binder finished binding it (value "yes"). */
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";

  /** On a claim or volume: the binder set the other side's name (value "yes"). */
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";

  /** On a claim: which provisioner is to create its volume. */
  public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";

  /** The beta name of {@link #STORAGE_PROVISIONER}, still written by upstream. */
  public static final String BETA_STORAGE_PROVISIONER =
      "volume.beta.kubernetes.io/storage-provisioner";

  /** On a claim: the node the scheduler chose for its first consumer (WaitForFirstConsumer). */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";

  /** On a volume: the provisioner that created it. */
  public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  public static final String YES = "yes";

  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

  private VolumeAnnotations() {}

  /** The annotation's value on {@code o}, or null. */
  public static String get(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  public static boolean has(HasMetadata o, String key) {
    return get(o, key) != null;
  }
}
