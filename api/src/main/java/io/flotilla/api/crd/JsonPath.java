package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset that printer columns and selectable fields use: dotted fields
 * (".spec.replicas"), quoted fields ("['a.b']"), indexes ("[0]", "[-1]"), "[*]" and a filter
 * comparing a relative path with a literal ("[?(@.type==\"Ready\")]"). Immutable and thread-safe.
 *
 * @param steps the parsed steps, in order
 */
public record JsonPath(List<Step> steps) {

  /** One step of a path. */
  public sealed interface Step {}

  /** A field by name. */
  public record Field(String name) implements Step {}

  /** An array item; negative counts from the end. */
  public record Index(int index) implements Step {}

  /** Every item of an array or value of an object. */
  public record Wildcard() implements Step {}

  /** The array items whose relative path compares with a literal. */
  public record Filter(JsonPath left, String op, JsonNode literal) implements Step {
    boolean matches(JsonNode item) {
      return compare(left.first(item), op, literal);
    }
  }

  public JsonPath {
    steps = List.copyOf(steps);
  }

  /**
   * Parses a path, with or without the surrounding braces.
   *
   * @throws IllegalArgumentException naming the position that is wrong
   */
  public static JsonPath parse(String text) {
    String s = text.trim();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1).trim();
    }
    return new JsonPathParser(s).parse();
  }

  /** The values the path selects, in document order; empty when nothing matches. */
  public List<JsonNode> evaluate(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        select(step, n, next);
      }
      current = next;
    }
    return current;
  }

  /** The first value selected, or a missing node. */
  public JsonNode first(JsonNode root) {
    List<JsonNode> all = evaluate(root);
    return all.isEmpty()
        ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : all.get(0);
  }

  private static void select(Step step, JsonNode n, List<JsonNode> out) {
    switch (step) {
      case Field f -> {
        JsonNode v = n.get(f.name());
        if (n.isObject() && v != null) {
          out.add(v);
        }
      }
      case Index i -> {
        if (n.isArray()) {
          int at = i.index() < 0 ? n.size() + i.index() : i.index();
          if (at >= 0 && at < n.size()) {
            out.add(n.get(at));
          }
        }
      }
      case Wildcard w -> n.elements().forEachRemaining(out::add);
      case Filter f -> {
        if (n.isArray()) {
          n.elements()
              .forEachRemaining(
                  item -> {
                    if (f.matches(item)) {
                      out.add(item);
                    }
                  });
        }
      }
    }
  }

  /** Whether one array item passes a filter. */
  static boolean compare(JsonNode value, String op, JsonNode literal) {
    if (value.isMissingNode()) {
      return false;
    }
    if (value.isNumber() && literal.isNumber()) {
      int c = JsonValues.decimal(value).compareTo(JsonValues.decimal(literal));
      return switch (op) {
        case "==" -> c == 0;
        case "!=" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        default -> false;
      };
    }
    boolean eq =
        value.isValueNode()
            && value.asText().equals(literal.asText())
            && value.isTextual() == literal.isTextual();
    return switch (op) {
      case "==" -> eq;
      case "!=" -> !eq;
      default -> false;
    };
  }
}
