package io.flotilla.api.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON pointer: "" is the whole document, "/a/b" names member b of member a, "~1"
 * stands for "/" and "~0" for "~" inside a token.
 */
record JsonPointer(String text, List<String> tokens) {
  JsonPointer {
    tokens = List.copyOf(tokens);
  }

  static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return new JsonPointer(text, List.of());
    }
    if (text.charAt(0) != '/') {
      throw new IllegalArgumentException("JSON pointer \"" + text + "\" must start with \"/\"");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      tokens.add(unescape(raw, text));
    }
    return new JsonPointer(text, tokens);
  }

  private static String unescape(String raw, String whole) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '~') {
        out.append(c);
        continue;
      }
      char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
      if (next == '0') {
        out.append('~');
      } else if (next == '1') {
        out.append('/');
      } else {
        throw new IllegalArgumentException(
            "JSON pointer \"" + whole + "\" has \"~\" not followed by 0 or 1");
      }
      i++;
    }
    return out.toString();
  }

  boolean isRoot() {
    return tokens.isEmpty();
  }

  /** The pointer to the parent; not defined for the root. */
  JsonPointer parent() {
    return new JsonPointer(
        text.substring(0, text.lastIndexOf('/')), tokens.subList(0, tokens.size() - 1));
  }

  String last() {
    return tokens.getLast();
  }

  /** Whether this pointer names a location strictly inside the one {@code other} names. */
  boolean isInside(JsonPointer other) {
    return tokens.size() > other.tokens.size()
        && tokens.subList(0, other.tokens.size()).equals(other.tokens);
  }

  @Override
  public String toString() {
    return text;
  }
}
