package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import io.flotilla.api.validation.Validation;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The object-metadata rules every kind shares: identity checks against the URL, name generation,
 * system fields on create, metadata validation. Stateless apart from a random source.
 */
public final class ObjectMetaRules {
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectMetaRules() {}

  public static String timestamp(Instant now) {
    return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
  }

  public static ObjectNode meta(ObjectNode obj) {
    return obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
  }

  /**
   * Checks apiVersion/kind and namespace of a body against the URL and fills them in. Names are
   * checked by the caller (create has none in the URL).
   */
  /**
   * Checks a PUT or apply body against its URL: kind, apiVersion and namespace as {@link
   * #checkIdentity}, and a name, when given, equal to the URL's; then sets the URL's name.
   */
  public static void bindToUrl(ResourceType type, ApiRequest req, ObjectNode obj) {
    checkIdentity(type, req, obj);
    String name = obj.path("metadata").path("name").asText("");
    if (!name.isEmpty() && !name.equals(req.name())) {
      throw StatusException.badRequest(
          "the name of the object ("
              + name
              + ") does not match the name on the URL ("
              + req.name()
              + ")");
    }
    meta(obj).put("name", req.name());
  }

  public static void checkIdentity(ResourceType type, ApiRequest req, ObjectNode obj) {
    String apiVersion = obj.path("apiVersion").asText("");
    String kind = obj.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw StatusException.badRequest(
          "the kind of the provided object (\""
              + kind
              + "\") does not match the resource sent on the request (\""
              + type.kind()
              + "\")");
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw StatusException.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API"
              + " version ("
              + type.apiVersion()
              + ")");
    }
    obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    ObjectNode meta = meta(obj);
    if (type.namespaced()) {
      String ns = meta.path("namespace").asText("");
      if (ns.isEmpty()) {
        meta.put("namespace", req.namespace());
      } else if (!ns.equals(req.namespace())) {
        throw StatusException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the"
                + " request");
      }
    } else {
      meta.remove("namespace");
    }
  }

  /** Fills the fields the server owns on create. */
  public static void prepareCreate(ResourceType type, ObjectNode obj, Instant now) {
    ObjectNode meta = meta(obj);
    if (meta.path("name").asText("").isEmpty()) {
      String prefix = meta.path("generateName").asText("");
      if (!prefix.isEmpty()) {
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
          name.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
        }
        meta.put("name", name.toString());
      }
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", timestamp(now));
    meta.remove("resourceVersion");
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("selfLink");
    if (type.behavior().tracksGeneration()) {
      meta.put("generation", 1);
    } else {
      meta.remove("generation");
    }
  }

  /** Validates object metadata; errors name the field as upstream does. */
  public static List<FieldError> validate(ResourceType type, ObjectNode obj) {
    return Validation.validateMetadata(obj, type.namespaced(), Validation.nameRule(type.gvk()));
  }
}
