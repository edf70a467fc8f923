package io.flotilla.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A field selector: a conjunction of {@code field=value}, {@code field==value} and {@code
 * field!=value} terms, with upstream's backslash escapes for ',', '=' and '!' in values. Immutable.
 */
public record FieldSelector(List<Term> terms) {

  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** One term: the field, the value, and whether the value must differ. */
  public record Term(String field, String value, boolean notEquals) {
    public boolean matches(String actual) {
      return notEquals != value.equals(actual == null ? "" : actual);
    }

    @Override
    public String toString() {
      return field + (notEquals ? "!=" : "=") + value;
    }
  }

  public FieldSelector {
    terms = List.copyOf(terms);
  }

  /** Parses the query-parameter syntax; null or blank selects everything. */
  public static FieldSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : splitUnescaped(text, ',')) {
      if (part.isBlank()) {
        continue;
      }
      terms.add(term(part));
    }
    return new FieldSelector(terms);
  }

  private static Term term(String part) {
    int i = indexOfOperator(part);
    if (i < 0) {
      throw new SelectorException(
          "invalid selector: '" + part + "'; can't understand '" + part + "'");
    }
    String field = part.substring(0, i).trim();
    boolean not = part.charAt(i) == '!';
    int valueStart = not || part.startsWith("==", i) ? i + 2 : i + 1;
    if (field.isEmpty()) {
      throw new SelectorException("invalid selector: '" + part + "': field name is empty");
    }
    return new Term(field, unescape(part.substring(valueStart).trim()), not);
  }

  private static int indexOfOperator(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '=' || (c == '!' && i + 1 < s.length() && s.charAt(i + 1) == '=')) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> splitUnescaped(String s, char sep) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == sep) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        if ("\\,=!".indexOf(n) < 0) {
          throw new SelectorException(
              "invalid field selector value: invalid escape sequence \\" + n);
        }
        out.append(n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The value extractor of each field named; throws when one is not supported. */
  public void checkFields(java.util.Set<String> supported) {
    for (Term t : terms) {
      if (!supported.contains(t.field())) {
        throw new SelectorException("field label not supported: " + t.field());
      }
    }
  }

  /** Whether an object matches, reading each field through {@code fields}. */
  public boolean matches(Function<String, String> fields) {
    for (Term t : terms) {
      if (!t.matches(fields.apply(t.field()))) {
        return false;
      }
    }
    return true;
  }

  /** The value a term requires of a field with '=', or null (used to narrow a list to one key). */
  public String requiredValue(String field) {
    for (Term t : terms) {
      if (!t.notEquals() && t.field().equals(field)) {
        return t.value();
      }
    }
    return null;
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }
}
