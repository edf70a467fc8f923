package io.flotilla.apiserver.rest;

import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One API request as the REST handlers see it: decoded path, query and body. Confined to the
 * request; {@link #warnings} collects Warning headers for the response.
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    HttpHeaders headers,
    byte[] body,
    UserInfo user,
    RequestInfo info,
    ResourceType type,
    List<String> warnings) {

  public ApiRequest withType(ResourceType t) {
    return new ApiRequest(method, path, query, headers, body, user, info, t, warnings);
  }

  public static ApiRequest of(
      String method,
      String path,
      Map<String, List<String>> query,
      HttpHeaders headers,
      byte[] body,
      UserInfo user) {
    return new ApiRequest(
        method,
        path,
        query,
        headers,
        body,
        user,
        RequestInfo.parse(method, path, query),
        null,
        new ArrayList<>());
  }

  public String param(String name) {
    return RequestInfo.first(query, name);
  }

  public boolean dryRun() {
    List<String> v = query.get("dryRun");
    if (v == null) {
      return false;
    }
    for (String s : v) {
      if (!s.equals("All")) {
        throw StatusException.badRequest("Invalid dry run value: \"" + s + "\": must be All");
      }
    }
    return true;
  }

  public long longParam(String name, long dflt) {
    String v = param(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw StatusException.badRequest(
          "invalid value for query parameter " + name + ": \"" + v + "\" is not an integer");
    }
  }

  public String namespace() {
    return info.namespace();
  }

  public String name() {
    return info.name();
  }
}
