package io.flotilla.apiserver.kubelet;

import io.flotilla.api.FieldError;
import io.flotilla.api.KindBehavior;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.RestContext;
import io.flotilla.apiserver.rest.StatusException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET pods/<name>/log}: validates the PodLogOptions as upstream does (422 naming the field),
 * resolves pod, container and node, and answers with a {@link Reply.Relay} to the kubelet's {@code
 * /containerLogs/<ns>/<pod>/<container>} that the transport streams back as it arrives. A pod not
 * yet bound to a node has no logs: an empty 200, as upstream. Stateless; never blocks.
 */
public final class PodLogHandler {
  private static final ResourceType OPTIONS =
      new ResourceType(
          "",
          "v1",
          "PodLogOptions",
          "",
          "",
          true,
          List.of(),
          List.of(),
          List.of(),
          Set.of(),
          "",
          new KindBehavior() {});

  private final PodTargets targets;

  public PodLogHandler(RestContext ctx, List<String> addressTypes) {
    this.targets = new PodTargets(ctx, addressTypes);
  }

  public CompletableFuture<Reply> handle(ApiRequest r) {
    String query = query(r);
    return targets
        .pod(r)
        .thenCompose(
            pod -> {
              String container = PodTargets.container(pod, r.param("container"));
              String node = PodTargets.nodeName(pod);
              if (node.isEmpty()) {
                return CompletableFuture.completedFuture(
                    (Reply) Replies.text(200, "", "text/plain"));
              }
              String path =
                  "/containerLogs/" + r.namespace() + "/" + r.name() + "/" + container + query;
              return targets
                  .endpoint(node)
                  .thenApply(e -> new Reply.Relay(node, e.host(), e.port(), path, false));
            });
  }

  /** The kubelet query for the request's options; throws 400/422 for bad ones. */
  static String query(ApiRequest r) {
    long tail = r.longParam("tailLines", Long.MIN_VALUE);
    long limit = r.longParam("limitBytes", Long.MIN_VALUE);
    long since = r.longParam("sinceSeconds", Long.MIN_VALUE);
    String sinceTime = r.param("sinceTime");
    OffsetDateTime sinceAt = null;
    if (sinceTime != null && !sinceTime.isEmpty()) {
      try {
        sinceAt = OffsetDateTime.parse(sinceTime, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        throw StatusException.badRequest(
            "invalid value for query parameter sinceTime: \""
                + sinceTime
                + "\" is not an RFC 3339 time such as 2006-01-02T15:04:05Z");
      }
    }
    List<FieldError> errors = new ArrayList<>();
    if (tail != Long.MIN_VALUE && tail < 0) {
      errors.add(FieldError.invalid("tailLines", tail, "must be greater than or equal to 0"));
    }
    if (limit != Long.MIN_VALUE && limit < 1) {
      errors.add(FieldError.invalid("limitBytes", limit, "must be greater than 0"));
    }
    if (since != Long.MIN_VALUE && sinceAt != null) {
      errors.add(
          FieldError.forbidden(
              "", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
    } else if (since != Long.MIN_VALUE && since < 1) {
      errors.add(FieldError.invalid("sinceSeconds", since, "must be greater than 0"));
    }
    if (!errors.isEmpty()) {
      throw StatusException.invalid(OPTIONS, r.name(), errors);
    }
    List<String> q = new ArrayList<>();
    for (String f : List.of("follow", "previous", "timestamps")) {
      if (PodTargets.flag(r, f)) {
        q.add(f + "=true");
      }
    }
    if (since != Long.MIN_VALUE) {
      q.add("sinceSeconds=" + since);
    }
    if (sinceAt != null) {
      q.add("sinceTime=" + URLEncoder.encode(sinceTime, StandardCharsets.UTF_8));
    }
    if (tail != Long.MIN_VALUE) {
      q.add("tailLines=" + tail);
    }
    if (limit != Long.MIN_VALUE) {
      q.add("limitBytes=" + limit);
    }
    return q.isEmpty() ? "" : "?" + String.join("&", q);
  }
}
