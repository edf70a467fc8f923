package io.flotilla.api.selector;

import java.util.List;
import java.util.Map;

/**
 * One clause of a label selector.
 *
 * @param key the label key
 * @param operator how the label is compared
 * @param values the values compared against, sorted; empty for EXISTS and DOES_NOT_EXIST, one value
 *     for EQUALS, NOT_EQUALS, GREATER_THAN and LESS_THAN
 */
public record Requirement(String key, Operator operator, List<String> values) {

  /** The comparison a requirement makes. */
  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST,
    GREATER_THAN,
    LESS_THAN
  }

  public Requirement {
    values = values.stream().sorted().distinct().toList();
  }

  public boolean matches(Map<String, String> labels) {
    String v = labels.get(key);
    return switch (operator) {
      case EQUALS, IN -> v != null && values.contains(v);
      case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
      case EXISTS -> v != null;
      case DOES_NOT_EXIST -> v == null;
      case GREATER_THAN, LESS_THAN -> compares(v);
    };
  }

  private boolean compares(String v) {
    if (v == null) {
      return false;
    }
    try {
      long have = Long.parseLong(v);
      long bound = Long.parseLong(values.getFirst());
      return operator == Operator.GREATER_THAN ? have > bound : have < bound;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The requirement in selector syntax, as upstream prints it. */
  @Override
  public String toString() {
    return switch (operator) {
      case EQUALS -> key + "=" + values.getFirst();
      case NOT_EQUALS -> key + "!=" + values.getFirst();
      case IN -> key + " in (" + String.join(",", values) + ")";
      case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
      case GREATER_THAN -> key + ">" + values.getFirst();
      case LESS_THAN -> key + "<" + values.getFirst();
    };
  }
}
