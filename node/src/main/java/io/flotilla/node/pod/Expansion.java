package io.flotilla.node.pod;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion for env values, command and args: {@code $(NAME)} becomes
 * the variable's value when it is defined and stays as written when not; {@code $$} is an escaped
 * {@code $}; any other {@code $} is kept.
 */
public final class Expansion {
  private Expansion() {}

  public static String expand(String in, Map<String, String> vars) {
    if (in == null || in.indexOf('$') < 0) {
      return in;
    }
    StringBuilder out = new StringBuilder(in.length());
    int i = 0;
    while (i < in.length()) {
      char ch = in.charAt(i);
      if (ch != '$' || i + 1 >= in.length()) {
        out.append(ch);
        i++;
        continue;
      }
      char next = in.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = in.indexOf(')', i + 2);
        if (close < 0) {
          out.append(in, i, in.length());
          break;
        }
        String name = in.substring(i + 2, close);
        String v = vars.get(name);
        out.append(v != null ? v : in.substring(i, close + 1));
        i = close + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }
}
