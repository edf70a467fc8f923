package io.flotilla.apiserver.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.store.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How API objects are laid out in the Store: keys {@code
 * /registry/<storageResource>/[<ns>/]<name>}, values the object's JSON without {@code
 * metadata.resourceVersion}, which is the key's modRevision. Stateless.
 */
public final class ObjectCodec {
  public static final ObjectMapper MAPPER = JsonMappers.pooled();

  private ObjectCodec() {}

  public static String key(ResourceType type, String namespace, String name) {
    return type.namespaced()
        ? "/registry/" + type.storageResource() + "/" + namespace + "/" + name
        : "/registry/" + type.storageResource() + "/" + name;
  }

  /** The prefix of every object of a type, or of those in one namespace when it is given. */
  public static String prefix(ResourceType type, String namespace) {
    String base = "/registry/" + type.storageResource() + "/";
    return type.namespaced() && namespace != null && !namespace.isEmpty()
        ? base + namespace + "/"
        : base;
  }

  public static byte[] encode(ObjectNode object) {
    ObjectNode stored = object;
    // Copied only to drop the resourceVersion; a create has none to drop.
    if (object.get("metadata") instanceof ObjectNode meta && meta.has("resourceVersion")) {
      stored = object.deepCopy();
      ((ObjectNode) stored.get("metadata")).remove("resourceVersion");
    }
    try {
      return MAPPER.writeValueAsBytes(stored);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stored object with its resourceVersion set to {@code revision}. */
  public static ObjectNode decode(byte[] value, long revision) {
    try {
      ObjectNode o = (ObjectNode) MAPPER.readTree(value);
      ObjectNode meta = o.get("metadata") instanceof ObjectNode m ? m : o.putObject("metadata");
      meta.put("resourceVersion", Long.toString(revision));
      return o;
    } catch (IOException e) {
      throw new UncheckedIOException("stored value is not JSON", e);
    }
  }

  public static ObjectNode decode(KeyValue kv) {
    return decode(kv.value(), kv.modRevision());
  }
}
