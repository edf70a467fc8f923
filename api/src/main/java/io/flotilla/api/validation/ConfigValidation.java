package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Checks ConfigMaps and Secrets: keys, size, secret encodings, per-type keys, immutability. */
final class ConfigValidation {
  private ConfigValidation() {}

  /** The most bytes a ConfigMap's or Secret's data may take (values, plus keys for ConfigMaps). */
  static final int MAX_SIZE = 1024 * 1024;

  private static final String IMMUTABLE = "field is immutable when `immutable` is set";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static void configMap(ObjectNode cm, ObjectNode old, Errors errs) {
    long total = 0;
    Set<String> keys = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : Json.entries(cm, "data")) {
      errs.invalidEach("data[" + e.getKey() + "]", e.getKey(), Names.configMapKey(e.getKey()));
      keys.add(e.getKey());
      total += e.getKey().length() + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
    }
    for (Map.Entry<String, JsonNode> e : Json.entries(cm, "binaryData")) {
      String p = "binaryData[" + e.getKey() + "]";
      errs.invalidEach(p, e.getKey(), Names.configMapKey(e.getKey()));
      if (!keys.add(e.getKey())) {
        errs.invalid(p, e.getKey(), "duplicate of key present in data");
      }
      total += e.getKey().length() + decode(e.getValue(), p, errs);
    }
    if (total > MAX_SIZE) {
      errs.tooLong("", MAX_SIZE);
    }
    immutability(cm, old, errs, "data", "binaryData");
  }

  static void secret(ObjectNode secret, ObjectNode old, Errors errs) {
    long total = 0;
    for (Map.Entry<String, JsonNode> e : Json.entries(secret, "data")) {
      String p = "data[" + e.getKey() + "]";
      errs.invalidEach(p, e.getKey(), Names.configMapKey(e.getKey()));
      total += decode(e.getValue(), p, errs);
    }
    for (Map.Entry<String, JsonNode> e : Json.entries(secret, "stringData")) {
      String p = "stringData[" + e.getKey() + "]";
      errs.invalidEach(p, e.getKey(), Names.configMapKey(e.getKey()));
      total += e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > MAX_SIZE) {
      errs.tooLong("data", MAX_SIZE);
    }
    typeKeys(secret, errs);
    if (old != null && !Objects.equals(secret.get("type"), old.get("type"))) {
      errs.invalid("type", Json.textOr(secret, "type"), "field is immutable");
    }
    immutability(secret, old, errs, "data");
  }

  /** Each secret type requires its keys. */
  private static void typeKeys(ObjectNode secret, Errors errs) {
    ObjectNode data = Json.object(secret, "data");
    Set<String> keys = new HashSet<>();
    if (data != null) {
      data.fieldNames().forEachRemaining(keys::add);
    }
    String type = Json.textOr(secret, "type");
    switch (type) {
      case "kubernetes.io/service-account-token" -> {
        ObjectNode annotations = Json.object(Json.object(secret, "metadata"), "annotations");
        if (Json.textOr(annotations, "kubernetes.io/service-account.name").isEmpty()) {
          errs.required("metadata.annotations[kubernetes.io/service-account.name]");
        }
      }
      case "kubernetes.io/dockercfg" -> requireJson(data, keys, ".dockercfg", errs);
      case "kubernetes.io/dockerconfigjson" -> requireJson(data, keys, ".dockerconfigjson", errs);
      case "kubernetes.io/basic-auth" -> {
        if (!keys.contains("username") && !keys.contains("password")) {
          errs.required("data[username]");
          errs.required("data[password]");
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        if (!keys.contains("ssh-privatekey")) {
          errs.required("data[ssh-privatekey]");
        }
      }
      case "kubernetes.io/tls" -> {
        if (!keys.contains("tls.key")) {
          errs.required("data[tls.key]");
        }
        if (!keys.contains("tls.crt")) {
          errs.required("data[tls.crt]");
        }
      }
      default -> {
        // Opaque and custom types hold any keys.
      }
    }
  }

  private static void requireJson(ObjectNode data, Set<String> keys, String key, Errors errs) {
    String p = "data[" + key + "]";
    if (!keys.contains(key)) {
      errs.required(p);
      return;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(data.get(key).asText());
      MAPPER.readTree(raw);
    } catch (IllegalArgumentException | java.io.IOException e) {
      errs.invalid(p, "<secret contents redacted>", "invalid JSON: " + e.getMessage());
    }
  }

  /** The decoded size of a base64 value; an undecodable value is reported. */
  private static long decode(JsonNode value, String path, Errors errs) {
    if (!value.isTextual()) {
      errs.invalid(path, "<secret contents redacted>", "must be a base64-encoded string");
      return 0;
    }
    try {
      return Base64.getDecoder().decode(value.textValue()).length;
    } catch (IllegalArgumentException e) {
      errs.invalid(path, "<secret contents redacted>", "illegal base64 data: " + e.getMessage());
      return 0;
    }
  }

  /** Once `immutable: true` is stored, the flag and the data are frozen. */
  private static void immutability(ObjectNode obj, ObjectNode old, Errors errs, String... fields) {
    if (old == null || !old.path("immutable").asBoolean(false)) {
      return;
    }
    if (!obj.path("immutable").asBoolean(false)) {
      errs.forbidden("immutable", IMMUTABLE);
    }
    for (String f : fields) {
      if (!Objects.equals(emptyToNull(obj.get(f)), emptyToNull(old.get(f)))) {
        errs.forbidden(f, IMMUTABLE);
      }
    }
  }

  private static JsonNode emptyToNull(JsonNode n) {
    return n == null || n.isNull() || n.isEmpty() ? null : n;
  }
}
