package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.apiserver.UserInfo;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The self-subject reviews kubectl sends for {@code auth can-i} and {@code auth whoami}. Nothing is
 * stored: the answer is computed from the requesting user and returned with status filled.
 *
 * <p>There is no authorizer yet (RBAC is a later stage): every authenticated user may do
 * everything, and the answers say so rather than pretend to evaluate rules.
 */
final class ReviewHandler {
  static final String NO_AUTHORIZER =
      "no authorizer is configured yet: every authenticated user is allowed";

  /** Whether the request is a review this handler answers. */
  static boolean handles(RequestInfo info) {
    return info.verb().equals("create")
        && info.subresource().isEmpty()
        && ((info.group().equals("authorization.k8s.io")
                && (info.resource().equals("selfsubjectaccessreviews")
                    || info.resource().equals("selfsubjectrulesreviews")))
            || (info.group().equals("authentication.k8s.io")
                && info.resource().equals("selfsubjectreviews")));
  }

  CompletableFuture<Reply> handle(ApiRequest req, Negotiation n) {
    ObjectNode review = BodyDecoder.decodeObject(req);
    String kind = review.path("kind").asText("");
    String expected =
        switch (req.info().resource()) {
          case "selfsubjectaccessreviews" -> "SelfSubjectAccessReview";
          case "selfsubjectrulesreviews" -> "SelfSubjectRulesReview";
          default -> "SelfSubjectReview";
        };
    if (!kind.isEmpty() && !kind.equals(expected)) {
      throw StatusException.badRequest(
          "the body is a " + kind + " but the URL names " + expected + "s");
    }
    review.put("kind", expected);
    review.put("apiVersion", req.info().group() + "/" + req.info().version());
    review.withObject("metadata");
    ObjectNode status = review.putObject("status");
    switch (expected) {
      case "SelfSubjectAccessReview" -> {
        if (!review.path("spec").has("resourceAttributes")
            && !review.path("spec").has("nonResourceAttributes")) {
          throw StatusException.invalid(
              req.type(),
              "",
              java.util.List.of(io.flotilla.api.FieldError.required("spec.resourceAttributes")));
        }
        status.put("allowed", true).put("reason", NO_AUTHORIZER);
      }
      case "SelfSubjectRulesReview" -> {
        ObjectNode rule = status.putArray("resourceRules").addObject();
        rule.putArray("verbs").add("*");
        rule.putArray("apiGroups").add("*");
        rule.putArray("resources").add("*");
        ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
        nonResource.putArray("verbs").add("*");
        nonResource.putArray("nonResourceURLs").add("*");
        status.put("incomplete", false).put("evaluationError", NO_AUTHORIZER);
      }
      default -> {
        UserInfo user = req.user();
        ObjectNode info = status.putObject("userInfo");
        info.put("username", user.name());
        if (!user.uid().isEmpty()) {
          info.put("uid", user.uid());
        }
        Set<String> groups = new LinkedHashSet<>(user.groups());
        if (!user.name().equals("system:anonymous")) {
          groups.add("system:authenticated");
        }
        ArrayNode g = info.putArray("groups");
        groups.forEach(g::add);
      }
    }
    return CompletableFuture.completedFuture(Replies.of(201, review, req, n));
  }
}
