package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** JSON value equality as Go's reflect.DeepEqual sees decoded JSON: 1 and 1.0 are equal. */
final class JsonValues {
  private JsonValues() {}

  static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return decimal(a).compareTo(decimal(b)) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !equal(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  static BigDecimal decimal(JsonNode n) {
    return n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : n.decimalValue();
  }

  /** A number as Go's %v prints a float64 holding it: "3" for 3.0, "2.5" otherwise. */
  static String number(JsonNode n) {
    BigDecimal d = decimal(n).stripTrailingZeros();
    return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
  }
}
