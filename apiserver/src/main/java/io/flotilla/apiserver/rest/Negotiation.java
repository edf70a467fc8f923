package io.flotilla.apiserver.rest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What representation a client asked for in its Accept header: the plain object (JSON or YAML), a
 * meta.k8s.io Table, or PartialObjectMetadata. The first supported entry wins, as upstream.
 */
public record Negotiation(Form form, boolean yaml, String tableVersion) {

  /** The shape of the response body. */
  public enum Form {
    OBJECT,
    TABLE,
    PARTIAL_METADATA
  }

  public static final Negotiation JSON = new Negotiation(Form.OBJECT, false, "v1");

  public static Negotiation of(String accept) {
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    for (String entry : accept.split(",")) {
      String[] parts = entry.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        if (kv.length == 2) {
          params.put(kv[0].trim(), kv[1].trim());
        }
      }
      Negotiation n = match(type, params);
      if (n != null) {
        return n;
      }
    }
    return JSON;
  }

  private static Negotiation match(String type, Map<String, String> params) {
    String as = params.get("as");
    if (type.equals("application/json") && as != null) {
      String version = params.getOrDefault("v", "v1");
      boolean meta = "meta.k8s.io".equals(params.get("g"));
      if (meta && as.equals("Table") && (version.equals("v1") || version.equals("v1beta1"))) {
        return new Negotiation(Form.TABLE, false, version);
      }
      if (meta && (as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList"))) {
        return new Negotiation(Form.PARTIAL_METADATA, false, version);
      }
      return null;
    }
    return switch (type) {
      case "application/json", "*/*", "application/*" -> JSON;
      case "application/yaml" -> new Negotiation(Form.OBJECT, true, "v1");
      default -> null;
    };
  }
}
