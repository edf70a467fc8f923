package io.flotilla.controllers.job;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The interval strings of {@code status.completedIndexes} and {@code status.failedIndexes} ({@code
 * "1,3-5,7"}), as upstream's {@code orderedIntervals}. Immutable helpers.
 */
final class CompletedIndexes {
  private CompletedIndexes() {}

  /** Parses {@code "1,3-5"}; malformed parts are skipped (upstream logs and skips them). */
  static TreeSet<Integer> parse(String s, int completions) {
    TreeSet<Integer> out = new TreeSet<>();
    if (s == null || s.isBlank()) {
      return out;
    }
    for (String part : s.split(",")) {
      try {
        int dash = part.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? part.trim() : part.substring(0, dash).trim());
        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
        for (int i = from; i <= to && i < completions; i++) {
          out.add(i);
        }
      } catch (NumberFormatException e) {
        // skip
      }
    }
    return out;
  }

  /** Formats ascending indexes as intervals, or null when there are none. */
  static String format(TreeSet<Integer> indexes) {
    if (indexes.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int i : indexes) {
      if (start == null) {
        start = i;
      } else if (i != prev + 1) {
        parts.add(start.equals(prev) ? "" + start : start + "-" + prev);
        start = i;
      }
      prev = i;
    }
    parts.add(start.equals(prev) ? "" + start : start + "-" + prev);
    return String.join(",", parts);
  }
}
