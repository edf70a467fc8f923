package io.flotilla.api.apply;

import io.flotilla.api.GroupVersionKind;
import io.flotilla.api.patch.PatchMeta;
import io.flotilla.api.patch.PatchSchema;
import io.flotilla.api.patch.PatchStrategies;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What server-side apply needs to know about the type of an object: for each field holding a list,
 * whether the list is atomic, a set or a map keyed by some of its items' fields; for each field
 * holding an object, whether it is atomic. Built on the project's {@link PatchSchema} and the
 * {@code x-kubernetes-list-type}, {@code list-map-keys} and {@code map-type} columns of {@link
 * PatchStrategies}. Kinds without a schema (custom resources) get lists atomic and maps granular.
 */
public final class ApplySchema {
  /** How a list's items are told apart. */
  public enum ListType {
    ATOMIC,
    SET,
    MAP
  }

  /**
   * Types upstream marks {@code x-kubernetes-map-type: atomic} as a whole, which the per-field
   * table does not carry.
   */
  private static final Set<String> ATOMIC_TYPES =
      Set.of(
          "LabelSelector",
          "LocalObjectReference",
          "ConfigMapKeySelector",
          "SecretKeySelector",
          "ObjectFieldSelector",
          "ResourceFieldSelector",
          "NodeSelector",
          "NodeSelectorTerm",
          "TypedLocalObjectReference",
          "TopologySelectorTerm");

  private static final ApplySchema OPAQUE = new ApplySchema(PatchSchema.opaque());
  private final PatchSchema patch;

  private ApplySchema(PatchSchema patch) {
    this.patch = patch;
  }

  private static final Map<GroupVersionKind, ApplySchema> BY_KIND = new ConcurrentHashMap<>();

  public static ApplySchema forKind(GroupVersionKind gvk) {
    return BY_KIND.computeIfAbsent(
        gvk, k -> PatchSchema.forKind(k).map(ApplySchema::new).orElse(OPAQUE));
  }

  public static ApplySchema of(PatchSchema patch) {
    return new ApplySchema(patch);
  }

  /** The schema of a field's value (of its items, for a list). */
  public ApplySchema field(String name) {
    PatchSchema s = patch.field(name).schema();
    return s == patch ? this : new ApplySchema(s);
  }

  public ListType listType(String field) {
    Optional<PatchStrategies.Entry> e = PatchStrategies.find(patch.name(), field);
    String type = e.map(PatchStrategies.Entry::listType).orElse("");
    switch (type) {
      case "atomic":
        return ListType.ATOMIC;
      case "set":
        return ListType.SET;
      case "map":
        return ListType.MAP;
      default:
        break;
    }
    // Upstream turns a merge strategy without a list type into an associative list.
    PatchMeta meta = patch.field(field).meta();
    if (meta.strategies().contains("merge")) {
      return meta.mergeKey().isEmpty() ? ListType.SET : ListType.MAP;
    }
    return ListType.ATOMIC;
  }

  /** The key fields of a list-map field. */
  public List<String> listKeys(String field) {
    List<String> keys =
        PatchStrategies.find(patch.name(), field)
            .map(PatchStrategies.Entry::listMapKeys)
            .orElse(List.of());
    if (!keys.isEmpty()) {
      return keys;
    }
    String mergeKey = patch.field(field).meta().mergeKey();
    return mergeKey.isEmpty() ? List.of() : List.of(mergeKey);
  }

  /**
   * Whether a field holds a map with arbitrary keys rather than a struct: map-typed fields of
   * built-in kinds and every object without a schema.
   */
  public boolean isMap(String field) {
    String name = patch.field(field).schema().name();
    return name.startsWith("map of ") || name.equals(PatchSchema.opaque().name());
  }

  /** Whether the object held by a field is owned as a whole. */
  public boolean atomicMap(String field) {
    String mapType =
        PatchStrategies.find(patch.name(), field).map(PatchStrategies.Entry::mapType).orElse("");
    if (!mapType.isEmpty()) {
      return mapType.equals("atomic");
    }
    String name = patch.field(field).schema().name();
    return ATOMIC_TYPES.contains(name.substring(name.lastIndexOf('.') + 1));
  }
}
