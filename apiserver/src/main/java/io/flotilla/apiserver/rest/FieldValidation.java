package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.crd.CustomResourceBehavior;
import io.flotilla.api.openapi.UnknownFields;
import java.util.List;

/**
 * The {@code fieldValidation} query parameter applied to fields the kind's schema does not know:
 * Strict rejects the request (400), Warn (the default) answers with a Warning header per field,
 * Ignore drops them silently. Custom resources are always pruned to their structural schema, so for
 * them too the fields are dropped. Duplicate fields are handled while decoding ({@link
 * BodyDecoder}).
 */
final class FieldValidation {
  private FieldValidation() {}

  static String mode(ApiRequest req) {
    String v = req.param("fieldValidation");
    String mode = v == null || v.isEmpty() ? "Warn" : v;
    if (!mode.equals("Strict") && !mode.equals("Warn") && !mode.equals("Ignore")) {
      throw StatusException.badRequest(
          "fieldValidation must be one of Ignore, Warn or Strict, got \"" + v + "\"");
    }
    return mode;
  }

  /** Checks (and with Ignore or Warn, prunes) unknown fields of a body about to be stored. */
  static void apply(UnknownFields schemas, ApiRequest req, ResourceType type, ObjectNode obj) {
    // Custom resources are always pruned to their structural schema, as upstream does.
    if (type.behavior() instanceof CustomResourceBehavior custom) {
      String mode = mode(req);
      report(req, mode, custom.prune(obj));
      return;
    }
    if (schemas == null) {
      return;
    }
    String mode = mode(req);
    List<String> unknown = schemas.find(type.gvk(), obj);
    if (unknown.isEmpty()) {
      return;
    }
    report(req, mode, unknown);
    schemas.prune(type.gvk(), obj);
  }

  /** Strict rejects the unknown fields, Warn reports each in a Warning header. */
  private static void report(ApiRequest req, String mode, List<String> unknown) {
    if (unknown.isEmpty()) {
      return;
    }
    if (mode.equals("Strict")) {
      StringBuilder msg = new StringBuilder("strict decoding error: ");
      for (int i = 0; i < unknown.size(); i++) {
        msg.append(i == 0 ? "" : ", ")
            .append("unknown field \"")
            .append(unknown.get(i))
            .append('"');
      }
      throw StatusException.badRequest(msg.toString());
    }
    if (mode.equals("Warn")) {
      unknown.forEach(f -> req.warnings().add("unknown field \"" + f + "\""));
    }
  }
}
