package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import java.util.List;

/**
 * A request failure that the apiserver reports as a Kubernetes {@code Status}. Thrown (or used to
 * complete a future exceptionally) anywhere in request handling; the dispatcher turns it into the
 * response. Factories name upstream's reasons and messages.
 */
public final class StatusException extends RuntimeException {
  private final int code;
  private final String reason;
  private final ObjectNode details;

  public StatusException(int code, String reason, String message, ObjectNode details) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** The Status object for the response body. */
  public ObjectNode toStatus() {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", getMessage()).put("reason", reason);
    if (details != null) {
      s.set("details", details);
    }
    s.put("code", code);
    return s;
  }

  private static ObjectNode details(String name, ResourceType type) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    if (name != null && !name.isEmpty()) {
      d.put("name", name);
    }
    if (type != null) {
      if (!type.group().isEmpty()) {
        d.put("group", type.group());
      }
      d.put("kind", type.plural());
    }
    return d;
  }

  private static String qualified(ResourceType t) {
    return t.group().isEmpty() ? t.plural() : t.plural() + "." + t.group();
  }

  public static StatusException badRequest(String message) {
    return new StatusException(400, "BadRequest", message, null);
  }

  public static StatusException notFound(ResourceType type, String name) {
    return new StatusException(
        404, "NotFound", qualified(type) + " \"" + name + "\" not found", details(name, type));
  }

  public static StatusException notFoundPath() {
    return new StatusException(
        404, "NotFound", "the server could not find the requested resource", details(null, null));
  }

  public static StatusException alreadyExists(ResourceType type, String name) {
    return new StatusException(
        409,
        "AlreadyExists",
        qualified(type) + " \"" + name + "\" already exists",
        details(name, type));
  }

  public static StatusException conflict(ResourceType type, String name, String why) {
    return new StatusException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on " + qualified(type) + " \"" + name + "\": " + why,
        details(name, type));
  }

  public static StatusException staleUpdate(ResourceType type, String name) {
    return conflict(
        type,
        name,
        "the object has been modified; please apply your changes to the latest version and try"
            + " again");
  }

  public static StatusException forbidden(ResourceType type, String name, String why) {
    String target = name == null || name.isEmpty() ? "" : " \"" + name + "\"";
    return new StatusException(
        403, "Forbidden", qualified(type) + target + " is forbidden: " + why, details(name, type));
  }

  public static StatusException namespaceTerminating(ResourceType type, String name, String ns) {
    ObjectNode d = details(name, type);
    d.putArray("causes")
        .addObject()
        .put("reason", "NamespaceTerminating")
        .put("message", "namespace " + ns + " is being terminated")
        .put("field", "metadata.namespace");
    return new StatusException(
        403,
        "Forbidden",
        qualified(type)
            + (name == null || name.isEmpty() ? "" : " \"" + name + "\"")
            + " is forbidden: unable to create new content in namespace "
            + ns
            + " because it is being terminated",
        d);
  }

  public static StatusException gone(String message) {
    return new StatusException(410, "Expired", message, null);
  }

  public static StatusException invalid(ResourceType type, String name, List<FieldError> errors) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("name", name == null ? "" : name);
    if (!type.group().isEmpty()) {
      d.put("group", type.group());
    }
    d.put("kind", type.kind());
    ArrayNode causes = d.putArray("causes");
    StringBuilder msg = new StringBuilder();
    for (FieldError e : errors) {
      causes
          .addObject()
          .put("reason", e.type())
          .put("message", e.message())
          .put("field", e.field());
      msg.append(msg.isEmpty() ? "" : ", ").append(e.field()).append(": ").append(e.message());
    }
    String kind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    String summary = errors.size() == 1 ? msg.toString() : "[" + msg + "]";
    return new StatusException(
        422, "Invalid", kind + " \"" + name + "\" is invalid: " + summary, d);
  }

  public static StatusException unsupportedMediaType(String contentType) {
    return new StatusException(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json, application/yaml"
            + (contentType == null ? "" : " (got " + contentType + ")"),
        null);
  }

  public static StatusException methodNotAllowed(String verb, ResourceType type) {
    return new StatusException(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        details(null, type));
  }

  public static StatusException tooManyRequests() {
    return new StatusException(
        429, "TooManyRequests", "Too many requests, please try again later.", null);
  }

  public static StatusException tooLarge() {
    return new StatusException(413, "RequestEntityTooLarge", "request entity too large", null);
  }

  public static StatusException unauthorized() {
    return new StatusException(401, "Unauthorized", "Unauthorized", null);
  }

  public static StatusException internal(Throwable cause) {
    return new StatusException(
        500,
        "InternalError",
        "Internal error occurred: " + (cause.getMessage() == null ? cause : cause.getMessage()),
        null);
  }

  public static StatusException timeout(String message) {
    return new StatusException(504, "Timeout", message, null);
  }
}
