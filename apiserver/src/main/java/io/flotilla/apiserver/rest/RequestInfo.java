package io.flotilla.apiserver.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Kubernetes resource path addresses, parsed as upstream's RequestInfoFactory does: {@code
 * /api/v1[/watch]/namespaces/<ns>/<resource>[/<name>[/<subresource>]]} and the {@code
 * /apis/<group>/<version>/...} form. Non-resource paths ({@code /version}, discovery) yield {@code
 * resource == null}.
 */
public record RequestInfo(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource,
    String verb) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public boolean isResourceRequest() {
    return resource != null;
  }

  public boolean namespaceGiven() {
    return namespace != null && !namespace.isEmpty();
  }

  /**
   * Parses a path (without the query) for an HTTP method. Returns null when the path is not a
   * resource path under /api or /apis (the caller serves discovery or 404).
   */
  public static RequestInfo parse(String method, String path, Map<String, List<String>> query) {
    List<String> parts = new ArrayList<>(Arrays.asList(trimSlashes(path).split("/")));
    if (parts.isEmpty()) {
      return null;
    }
    String group;
    String version;
    if (parts.getFirst().equals("api") && parts.size() >= 3) {
      group = "";
      version = parts.get(1);
      parts = parts.subList(2, parts.size());
    } else if (parts.getFirst().equals("apis") && parts.size() >= 4) {
      group = parts.get(1);
      version = parts.get(2);
      parts = parts.subList(3, parts.size());
    } else {
      return null;
    }
    boolean watch = false;
    if (parts.getFirst().equals("watch")) {
      watch = true;
      parts = parts.subList(1, parts.size());
      if (parts.isEmpty()) {
        return null;
      }
    }
    String namespace = "";
    if (parts.getFirst().equals("namespaces") && parts.size() > 1) {
      namespace = parts.get(1);
      if (parts.size() >= 3 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
        parts = parts.subList(2, parts.size());
      }
    }
    if (parts.size() > 3) {
      return null;
    }
    String resource = parts.get(0);
    String name = parts.size() > 1 ? parts.get(1) : "";
    String sub = parts.size() > 2 ? parts.get(2) : "";
    if (resource.equals("namespaces") && parts.size() > 1 && namespace.equals(name)) {
      // /api/v1/namespaces/<ns> addresses the namespace object itself, not a namespace scope.
      namespace = "";
    }
    String q = first(query, "watch");
    if ("true".equals(q) || "1".equals(q)) {
      watch = true;
    }
    return new RequestInfo(
        group, version, namespace, resource, name, sub, verb(method, name, watch));
  }

  /** The path without its leading and trailing slashes (a regex here cost every request). */
  private static String trimSlashes(String path) {
    int from = 0;
    int to = path.length();
    while (from < to && path.charAt(from) == '/') {
      from++;
    }
    while (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    return path.substring(from, to);
  }

  private static String verb(String method, String name, boolean watch) {
    return switch (method) {
      case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
  }

  static String first(Map<String, List<String>> query, String key) {
    List<String> v = query.get(key);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }
}
