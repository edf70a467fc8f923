package io.flotilla.apiserver.kubelet;

import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.RestContext;
import io.flotilla.apiserver.rest.StatusException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pods/<name>/exec}, {@code attach} and {@code portforward} (GET or POST): resolves pod,
 * container and node as upstream's pod strategy does and answers with an upgrading {@link
 * Reply.Relay} to the kubelet's {@code /exec|/attach/<ns>/<pod>/<container>} or {@code
 * /portForward/<ns>/<pod>}, which the transport splices byte for byte (WebSocket or SPDY/3.1, both
 * spoken by the agent). Requests that do not ask to upgrade get upstream's 400. Stateless; never
 * blocks.
 */
public final class PodStreamHandler {
  private final PodTargets targets;

  public PodStreamHandler(RestContext ctx, List<String> addressTypes) {
    this.targets = new PodTargets(ctx, addressTypes);
  }

  public CompletableFuture<Reply> handle(ApiRequest r) {
    String sub = r.info().subresource();
    String query = query(r, sub);
    return targets
        .pod(r)
        .thenCompose(
            pod -> {
              String path;
              if (sub.equals("portforward")) {
                path = "/portForward/" + r.namespace() + "/" + r.name();
              } else {
                String container = PodTargets.container(pod, r.param("container"));
                path = "/" + sub + "/" + r.namespace() + "/" + r.name() + "/" + container;
              }
              String node = PodTargets.nodeName(pod);
              if (node.isEmpty()) {
                throw StatusException.badRequest(
                    "pod " + r.name() + " does not have a host assigned");
              }
              if (!upgrading(r)) {
                throw StatusException.badRequest("Upgrade request required");
              }
              return targets
                  .endpoint(node)
                  .thenApply(e -> new Reply.Relay(node, e.host(), e.port(), path + query, true));
            });
  }

  /** Whether the request asks to switch protocols (WebSocket or SPDY). */
  public static boolean upgrading(ApiRequest r) {
    String upgrade = r.headers().get("Upgrade");
    return upgrade != null && !upgrade.isBlank();
  }

  private static String query(ApiRequest r, String sub) {
    List<String> q = new ArrayList<>();
    if (sub.equals("portforward")) {
      List<String> ports = new ArrayList<>();
      for (String p : r.query().getOrDefault("ports", List.of())) {
        for (String one : p.split(",")) {
          String port = one.strip();
          if (!port.matches("\\d{1,5}")
              || Integer.parseInt(port) < 1
              || Integer.parseInt(port) > 65535) {
            throw StatusException.badRequest(
                "invalid value for query parameter ports: \""
                    + p
                    + "\": each port must be 1-65535");
          }
          ports.add(port);
        }
      }
      if (!ports.isEmpty()) {
        q.add("port=" + String.join(",", ports));
      }
    } else {
      for (String f : List.of("stdin", "stdout", "stderr", "tty")) {
        if (PodTargets.flag(r, f)) {
          q.add(f + "=1");
        }
      }
      if (sub.equals("exec")) {
        List<String> command = r.query().getOrDefault("command", List.of());
        if (command.isEmpty()) {
          throw StatusException.badRequest("you must specify at least 1 command");
        }
        for (String c : command) {
          q.add("command=" + URLEncoder.encode(c, StandardCharsets.UTF_8));
        }
      }
    }
    return q.isEmpty() ? "" : "?" + String.join("&", q);
  }
}
