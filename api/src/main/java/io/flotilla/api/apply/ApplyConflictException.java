package io.flotilla.api.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An apply that would change fields other managers own, without force. The message is upstream's:
 * {@code Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas}.
 */
public final class ApplyConflictException extends RuntimeException {
  /** One field another manager owns and the apply would change. */
  public record Conflict(ManagedFieldsEntry manager, FieldPath path) {
    public String causeMessage() {
      return "conflict with " + manager.describe();
    }
  }

  private final transient List<Conflict> conflicts;

  public ApplyConflictException(List<Conflict> conflicts) {
    super(message(conflicts));
    this.conflicts = List.copyOf(conflicts);
  }

  public List<Conflict> conflicts() {
    return conflicts;
  }

  private static String message(List<Conflict> conflicts) {
    if (conflicts.size() == 1) {
      Conflict c = conflicts.getFirst();
      return "Apply failed with 1 conflict: conflict with "
          + c.manager().describe()
          + ": "
          + c.path();
    }
    Map<String, List<FieldPath>> byManager = new TreeMap<>();
    for (Conflict c : conflicts) {
      byManager.computeIfAbsent(c.manager().describe(), k -> new ArrayList<>()).add(c.path());
    }
    List<String> lines = new ArrayList<>();
    byManager.forEach(
        (m, paths) -> {
          lines.add("conflicts with " + m + ":");
          paths.forEach(p -> lines.add("- " + p));
        });
    return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
  }
}
