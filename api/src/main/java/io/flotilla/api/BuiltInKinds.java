package io.flotilla.api;

import java.util.List;
import java.util.Set;

/** The built-in kinds Flotilla serves. */
final class BuiltInKinds {
  private BuiltInKinds() {}

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  static List<ResourceType> all() {
    KindBehavior plain = new KindBehavior() {};
    return List.of(
        new ResourceType(
            "",
            "v1",
            "Namespace",
            "namespaces",
            "namespace",
            false,
            List.of("ns"),
            List.of(),
            List.of("create", "delete", "get", "list", "patch", "update", "watch"),
            Set.of("status", "finalize"),
            "core/namespaces",
            plain),
        new ResourceType(
            "",
            "v1",
            "ConfigMap",
            "configmaps",
            "configmap",
            true,
            List.of("cm"),
            List.of(),
            ALL_VERBS,
            Set.of(),
            "core/configmaps",
            plain));
  }
}
