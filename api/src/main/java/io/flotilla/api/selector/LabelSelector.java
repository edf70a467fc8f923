package io.flotilla.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.selector.Requirement.Operator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector: a conjunction of requirements. Parsed from the string syntax of the
 * {@code labelSelector} query parameter ({@code a=b,c!=d,e in (f,g),h notin (i),j,!k}) or built
 * from a {@code metav1.LabelSelector} JSON object. Immutable and thread-safe.
 */
public record LabelSelector(List<Requirement> requirements) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** The selector that matches everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  /** A selector matching nothing, as upstream uses for a null JSON selector in some places. */
  public static final LabelSelector NOTHING =
      new LabelSelector(List.of(new Requirement("", Operator.IN, List.of())));

  public LabelSelector {
    requirements = requirements.stream().sorted(Comparator.comparing(Requirement::key)).toList();
  }

  /** Parses the string syntax; null or blank selects everything. */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    return new LabelSelector(new LabelSelectorParser(text).parse());
  }

  /**
   * Builds a selector from a metav1.LabelSelector ({@code matchLabels}, {@code matchExpressions}).
   * A missing or null node selects nothing; an empty object selects everything, as upstream.
   */
  public static LabelSelector fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NOTHING;
    }
    List<Requirement> reqs = new ArrayList<>();
    node.path("matchLabels")
        .properties()
        .forEach(
            e -> {
              checkKey(e.getKey());
              checkValue(e.getKey(), e.getValue().asText());
              reqs.add(
                  new Requirement(e.getKey(), Operator.EQUALS, List.of(e.getValue().asText())));
            });
    for (JsonNode expr : node.path("matchExpressions")) {
      reqs.add(expression(expr));
    }
    return new LabelSelector(reqs);
  }

  private static Requirement expression(JsonNode expr) {
    String key = expr.path("key").asText();
    checkKey(key);
    List<String> values = new ArrayList<>();
    expr.path("values").forEach(v -> values.add(v.asText()));
    String op = expr.path("operator").asText();
    Operator operator =
        switch (op) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default ->
              throw new SelectorException("\"" + op + "\" is not a valid label selector operator");
        };
    boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      throw new SelectorException(
          "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
    }
    if (!needsValues && !values.isEmpty()) {
      throw new SelectorException(
          "values: Invalid value: "
              + values
              + ": values set must be empty for exists and does not exist");
    }
    values.forEach(v -> checkValue(key, v));
    return new Requirement(key, operator, values);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  /** The selector in string syntax ("app=web,tier in (a,b)"). */
  @Override
  public String toString() {
    return String.join(",", requirements.stream().map(Requirement::toString).toList());
  }

  static void checkKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        throw new SelectorException(
            "invalid label key \""
                + key
                + "\": prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw new SelectorException(
          "invalid label key \""
              + key
              + "\": name part must consist of alphanumeric characters, '-', '_' or '.', start and"
              + " end with an alphanumeric character, and be at most 63 characters");
    }
  }

  static void checkValue(String key, String value) {
    if (value.isEmpty()) {
      return;
    }
    if (value.length() > 63 || !NAME.matcher(value).matches()) {
      throw new SelectorException(
          "invalid label value: \""
              + value
              + "\" for key \""
              + key
              + "\": a valid label must be an empty string or consist of alphanumeric characters,"
              + " '-', '_' or '.', start and end with an alphanumeric character, and be at most"
              + " 63 characters");
    }
  }
}
