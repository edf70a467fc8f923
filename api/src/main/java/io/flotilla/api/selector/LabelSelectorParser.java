package io.flotilla.api.selector;

import io.flotilla.api.selector.Requirement.Operator;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent parser for the label selector string syntax. Single use, not shared. */
final class LabelSelectorParser {
  private final String text;
  private int pos;

  LabelSelectorParser(String text) {
    this.text = text;
  }

  List<Requirement> parse() {
    List<Requirement> reqs = new ArrayList<>();
    while (true) {
      reqs.add(requirement());
      skipSpaces();
      if (pos >= text.length()) {
        return reqs;
      }
      expect(",", "',' between requirements");
    }
  }

  private Requirement requirement() {
    skipSpaces();
    if (peek('!') && !peekAt(1, '=')) {
      pos++;
      String key = key();
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) != ',') {
        throw error("',' or end of selector after '!" + key + "'");
      }
      return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
    }
    String key = key();
    skipSpaces();
    if (pos >= text.length() || peek(',')) {
      return new Requirement(key, Operator.EXISTS, List.of());
    }
    if (peek('=') || peek('!')) {
      Operator op = Operator.EQUALS;
      if (text.startsWith("==", pos)) {
        pos += 2;
      } else if (text.startsWith("!=", pos)) {
        op = Operator.NOT_EQUALS;
        pos += 2;
      } else if (peek('=')) {
        pos++;
      } else {
        throw error("'=', '==' or '!=' after key \"" + key + "\"");
      }
      return single(key, op, value(key));
    }
    if (peek('>') || peek('<')) {
      Operator op = peek('>') ? Operator.GREATER_THAN : Operator.LESS_THAN;
      pos++;
      String v = value(key);
      try {
        Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new SelectorException(
            "invalid label selector: for 'Gt', 'Lt' operators, the value must be an integer, got \""
                + v
                + "\"");
      }
      return single(key, op, v);
    }
    String word = word();
    Operator op =
        switch (word) {
          case "in" -> Operator.IN;
          case "notin" -> Operator.NOT_IN;
          default ->
              throw new SelectorException(
                  "unable to parse requirement: found '"
                      + word
                      + "', expected one of: in, notin, =, ==, !=, gt, lt");
        };
    List<String> values = set(key);
    if (values.isEmpty()) {
      throw new SelectorException(
          "unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators,"
              + " values set can't be empty");
    }
    return new Requirement(key, op, values);
  }

  private static Requirement single(String key, Operator op, String value) {
    return new Requirement(key, op, List.of(value));
  }

  private List<String> set(String key) {
    skipSpaces();
    expect("(", "'(' to open the value set of \"" + key + "\"");
    List<String> values = new ArrayList<>();
    skipSpaces();
    if (peek(')')) {
      pos++;
      return values;
    }
    while (true) {
      values.add(value(key));
      skipSpaces();
      if (peek(')')) {
        pos++;
        return values;
      }
      expect(",", "',' or ')' in the value set of \"" + key + "\"");
    }
  }

  private String key() {
    skipSpaces();
    String k = word();
    if (k.isEmpty()) {
      throw error("a label key");
    }
    LabelSelector.checkKey(k);
    return k;
  }

  private String value(String key) {
    skipSpaces();
    String v = word();
    LabelSelector.checkValue(key, v);
    return v;
  }

  private String word() {
    int start = pos;
    while (pos < text.length() && !isSpecial(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private static boolean isSpecial(char c) {
    return Character.isWhitespace(c) || "=!,()<>".indexOf(c) >= 0;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean peekAt(int offset, char c) {
    return pos + offset < text.length() && text.charAt(pos + offset) == c;
  }

  private void expect(String token, String what) {
    if (!text.startsWith(token, pos)) {
      throw error(what);
    }
    pos += token.length();
  }

  private SelectorException error(String expected) {
    String found = pos >= text.length() ? "end of selector" : "'" + text.substring(pos) + "'";
    return new SelectorException(
        "unable to parse requirement: found " + found + ", expected " + expected);
  }
}
