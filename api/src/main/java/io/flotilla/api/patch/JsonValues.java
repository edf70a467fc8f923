package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/** Equality of JSON values as JSON defines it: numbers compare by value, not by Java type. */
final class JsonValues {
  private JsonValues() {}

  private static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  /** Deep equality; a missing value (Java null) equals only another missing value. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(NUMERIC, b);
  }

  /** A short rendering of a value for error messages. */
  static String brief(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
