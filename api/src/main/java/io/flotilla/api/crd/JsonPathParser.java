package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent parser for {@link JsonPath}. Not thread-safe; one per parse. */
final class JsonPathParser {
  private final String s;
  private int pos;

  JsonPathParser(String s) {
    this.s = s;
  }

  JsonPath parse() {
    if (s.startsWith("$")) {
      pos = 1;
    }
    JsonPath path = steps('\0');
    if (pos != s.length()) {
      throw error("unexpected " + s.charAt(pos));
    }
    return path;
  }

  /** Steps until the end of input or, inside a filter, an operator or ')'. */
  private JsonPath steps(char until) {
    List<JsonPath.Step> steps = new ArrayList<>();
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '.') {
        pos++;
        String name = identifier();
        if (name.isEmpty()) {
          if (pos == s.length() && steps.isEmpty()) {
            break;
          }
          throw error("expected a field name");
        }
        steps.add(name.equals("*") ? new JsonPath.Wildcard() : new JsonPath.Field(name));
      } else if (c == '[') {
        steps.add(bracket());
      } else if (until != '\0') {
        break;
      } else {
        throw error("expected . or [");
      }
    }
    return new JsonPath(steps);
  }

  private String identifier() {
    int start = pos;
    while (pos < s.length() && ".[]()=!<> ".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private JsonPath.Step bracket() {
    pos++;
    JsonPath.Step step;
    char c = peek();
    if (c == '\'' || c == '"') {
      step = new JsonPath.Field(quoted());
    } else if (c == '*') {
      pos++;
      step = new JsonPath.Wildcard();
    } else if (c == '?') {
      step = filter();
    } else {
      int start = pos;
      while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
        pos++;
      }
      try {
        step = new JsonPath.Index(Integer.parseInt(s.substring(start, pos)));
      } catch (NumberFormatException e) {
        throw error("expected an index, a quoted name, * or a filter");
      }
    }
    expect(']');
    return step;
  }

  private JsonPath.Step filter() {
    pos++;
    expect('(');
    expect('@');
    JsonPath left = steps(')');
    skipSpaces();
    int start = pos;
    while (pos < s.length() && "=!<>".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    String op = s.substring(start, pos);
    if (!List.of("==", "!=", "<", "<=", ">", ">=").contains(op)) {
      throw error("expected a comparison");
    }
    skipSpaces();
    JsonNode literal = literal();
    skipSpaces();
    expect(')');
    return new JsonPath.Filter(left, op, literal);
  }

  private JsonNode literal() {
    char c = peek();
    if (c == '\'' || c == '"') {
      return JsonNodeFactory.instance.textNode(quoted());
    }
    int start = pos;
    while (pos < s.length() && ")] ".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    String word = s.substring(start, pos);
    if (word.equals("true") || word.equals("false")) {
      return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(word));
    }
    try {
      return JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(word));
    } catch (NumberFormatException e) {
      throw error("expected a literal");
    }
  }

  private String quoted() {
    char q = s.charAt(pos++);
    StringBuilder b = new StringBuilder();
    while (pos < s.length() && s.charAt(pos) != q) {
      char c = s.charAt(pos++);
      if (c == '\\' && pos < s.length()) {
        c = s.charAt(pos++);
      }
      b.append(c);
    }
    expect(q);
    return b.toString();
  }

  private void skipSpaces() {
    while (pos < s.length() && s.charAt(pos) == ' ') {
      pos++;
    }
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected " + c);
    }
    pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "invalid JSONPath " + Schemas.quote(s) + " at position " + pos + ": " + what);
  }
}
