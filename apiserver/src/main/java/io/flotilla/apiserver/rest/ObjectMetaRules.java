package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import io.flotilla.api.selector.LabelSelector;
import io.flotilla.api.selector.SelectorException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The object-metadata rules every kind shares: identity checks against the URL, name generation,
 * system fields on create, metadata validation. Stateless apart from a random source.
 */
public final class ObjectMetaRules {
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

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

  /**
   * What is wrong with a name under the kind's rule, or null: RBAC objects take any path segment,
   * namespaces an RFC 1123 label, services an RFC 1035 label, everything else an RFC 1123
   * subdomain, as upstream.
   */
  static String nameProblem(ResourceType type, String name) {
    if (type.group().equals("rbac.authorization.k8s.io")) {
      if (name.equals(".") || name.equals("..")) {
        return "may not be '" + name + "'";
      }
      return name.contains("/") || name.contains("%") ? "may not contain '/' or '%'" : null;
    }
    boolean core = type.group().isEmpty();
    if (core && type.plural().equals("services")) {
      return name.length() <= 63 && DNS_1035.matcher(name).matches()
          ? null
          : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with"
              + " an alphabetic character, and end with an alphanumeric character";
    }
    if (core && type.plural().equals("namespaces")) {
      return name.length() <= 63 && DNS_LABEL.matcher(name).matches()
          ? null
          : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or"
              + " '-', and must start and end with an alphanumeric character";
    }
    return name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches()
        ? null
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
            + " or '.', and must start and end with an alphanumeric character";
  }

  /** Validates object metadata; errors name the field as upstream does. */
  public static List<FieldError> validate(ResourceType type, ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode meta = obj.path("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      errors.add(
          new FieldError(
              "FieldValueRequired",
              "metadata.name",
              "Required value: name or generateName is required"));
    } else {
      String problem = nameProblem(type, name);
      if (problem != null) {
        errors.add(FieldError.invalid("metadata.name", name, problem));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("labels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        LabelSelector.parse(e.getKey() + "=" + e.getValue().asText());
      } catch (SelectorException ex) {
        errors.add(FieldError.invalid("metadata.labels", e.getKey(), ex.getMessage()));
      }
    }
    return errors;
  }
}
