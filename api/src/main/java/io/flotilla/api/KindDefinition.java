package io.flotilla.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Collects the optional parts of one resource; the singular is the lower-cased kind. */
final class KindDefinition {
  private final String group;
  private final String version;
  private final String kind;
  private final String plural;
  private final boolean namespaced;
  private final KindBehavior behavior;
  private List<String> shortNames = List.of();
  private List<String> categories = List.of();
  private List<String> verbs = BuiltInKinds.ALL_VERBS;
  private Set<String> subresources = Set.of();
  private String storage;

  KindDefinition(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      KindBehavior b) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.plural = plural;
    this.namespaced = namespaced;
    this.behavior = b;
    this.storage = (group.isEmpty() ? "core" : group) + "/" + plural;
  }

  KindDefinition shortNames(String... names) {
    shortNames = List.of(names);
    return this;
  }

  KindDefinition categories(String... names) {
    categories = List.of(names);
    return this;
  }

  KindDefinition verbs(List<String> list) {
    verbs = list;
    return this;
  }

  KindDefinition subresources(String... names) {
    subresources = Set.of(names);
    return this;
  }

  KindDefinition storage(String resource) {
    storage = resource;
    return this;
  }

  ResourceType build() {
    return new ResourceType(
        group,
        version,
        kind,
        plural,
        kind.toLowerCase(Locale.ROOT),
        namespaced,
        shortNames,
        categories,
        verbs,
        subresources,
        storage,
        new ValidatingBehavior(new GroupVersionKind(group, version, kind), behavior));
  }
}
