package io.flotilla.api.patch;

import java.util.List;

/**
 * How strategic merge patch treats one field: its patch strategies ("merge", "replace",
 * "retainKeys", or "merge" with "retainKeys") and, for a list of objects merged by key, the merge
 * key. A field without strategies is replaced when it is a list and merged when it is a map.
 */
public record PatchMeta(List<String> strategies, String mergeKey) {
  public static final PatchMeta NONE = new PatchMeta(List.of(), "");

  public PatchMeta {
    strategies = List.copyOf(strategies);
    mergeKey = mergeKey == null ? "" : mergeKey;
  }

  /** Parses a strategy as the OpenAPI extension spells it ("merge,retainKeys"); "" for none. */
  public static PatchMeta of(String strategy, String mergeKey) {
    List<String> parts =
        strategy == null || strategy.isEmpty() ? List.of() : List.of(strategy.split(","));
    return new PatchMeta(parts, mergeKey);
  }

  /**
   * The strategy that decides how the field's value is merged, "merge", "replace" or "" for the
   * default, once "retainKeys" (which only matters when patches are computed) is set aside.
   */
  public String mergeStrategy() {
    List<String> rest = strategies.stream().filter(s -> !s.equals("retainKeys")).toList();
    if (rest.size() > 1 || strategies.size() > 2) {
      throw PatchException.unprocessable("unexpected patch strategies " + strategies);
    }
    return rest.isEmpty() ? "" : rest.getFirst();
  }

  public boolean retainKeys() {
    return strategies.contains("retainKeys");
  }
}
