package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue keys as client-go's {@code MetaNamespaceKeyFunc}: {@code namespace/name} or name. */
public final class Keys {
  private Keys() {}

  public static String of(HasMetadata o) {
    return of(o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  public static String of(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** The namespace part of a key, or "" for a cluster-scoped key. */
  public static String namespace(String key) {
    int i = key.indexOf('/');
    return i < 0 ? "" : key.substring(0, i);
  }

  public static String name(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
