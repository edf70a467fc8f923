package io.flotilla.apiserver.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.StatusException;
import java.util.Locale;

/** The fixed non-resource paths: /version, health checks, /metrics, /openapi/v2. */
final class NonResourceRoutes {
  static final String MINOR = "32";
  static final String GIT_VERSION = "v1.32.0-flotilla.0";

  private NonResourceRoutes() {}

  static Reply.Full serve(ApiRequest req, ServerState state) {
    String path = req.path().replaceAll("/+$", "");
    return switch (path) {
      case "/version" -> Replies.json(200, version());
      case "/healthz", "/livez", "/readyz" -> Replies.text(200, "ok", "text/plain; charset=utf-8");
      case "/metrics" ->
          new Reply.Full(
              200,
              state.metrics().scrape(),
              "text/plain; version=0.0.4; charset=utf-8",
              java.util.Map.of());
      // kubectl asks for v2 only as protobuf and falls back to v3, which the lead serves.
      case "/openapi/v2", "/swagger.json" -> throw StatusException.notFoundPath();
      default -> {
        if (path.startsWith("/healthz/")
            || path.startsWith("/livez/")
            || path.startsWith("/readyz/")) {
          yield Replies.text(200, "ok", "text/plain; charset=utf-8");
        }
        yield null;
      }
    };
  }

  static ObjectNode version() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    String goArch = arch.equals("aarch64") ? "arm64" : arch.equals("x86_64") ? "amd64" : arch;
    ObjectNode v = JsonNodeFactory.instance.objectNode();
    v.put("major", "1")
        .put("minor", MINOR)
        .put("gitVersion", GIT_VERSION)
        .put("gitCommit", "0000000000000000000000000000000000000000")
        .put("gitTreeState", "clean")
        .put("buildDate", "2026-01-01T00:00:00Z")
        .put("goVersion", "go1.23.0")
        .put("compiler", "gc")
        .put("platform", "linux/" + goArch);
    return v;
  }
}
