package io.flotilla.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every served resource, built-in and (later) custom. Thread-safe: reads are lock-free; CRDs
 * register and unregister at run time.
 */
public final class KindRegistry {
  private final List<ResourceType> all = new CopyOnWriteArrayList<>();
  private final Map<String, ResourceType> byResource = new ConcurrentHashMap<>();
  private final Map<GroupVersionKind, ResourceType> byKind = new ConcurrentHashMap<>();

  /** A registry holding the built-in kinds. */
  public static KindRegistry builtIn() {
    KindRegistry r = new KindRegistry();
    BuiltInKinds.all().forEach(r::register);
    return r;
  }

  public void register(ResourceType type) {
    String key = resourceKey(type.group(), type.version(), type.plural());
    ResourceType previous = byResource.put(key, type);
    if (previous != null) {
      all.remove(previous);
    }
    all.add(type);
    byKind.put(type.gvk(), type);
  }

  public void unregister(ResourceType type) {
    byResource.remove(resourceKey(type.group(), type.version(), type.plural()), type);
    byKind.remove(type.gvk(), type);
    all.remove(type);
  }

  public Optional<ResourceType> byResource(String group, String version, String plural) {
    return Optional.ofNullable(byResource.get(resourceKey(group, version, plural)));
  }

  public Optional<ResourceType> byKind(GroupVersionKind gvk) {
    return Optional.ofNullable(byKind.get(gvk));
  }

  /** Every served resource, in registration order. */
  public List<ResourceType> all() {
    return new ArrayList<>(all);
  }

  private static String resourceKey(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }
}
