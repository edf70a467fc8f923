package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.crd.CustomResourceBehavior;
import io.flotilla.apiserver.registry.ListWatchSource.SharedObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lists and watch events written from the JSON a watch cache keeps for each object, without copying
 * or serializing object trees. Used only where the bytes are exactly those the tree path ({@link
 * Representations}, {@link Replies}) writes: compact JSON of the objects themselves (no Table,
 * PartialObjectMetadata, YAML or pretty printing), of a built-in kind (custom resources are pruned
 * and defaulted on read), stored with the apiVersion and kind the request addressed (so that {@link
 * ReadHandler#stamp} would change nothing). Stateless.
 */
final class SharedJson {
  private SharedJson() {}

  /** Whether replies to this request may be written from shared JSON at all. */
  static boolean applies(ApiRequest req, Negotiation n, ResourceType type) {
    return n.form() == Negotiation.Form.OBJECT
        && !n.yaml()
        && !"true".equals(req.param("pretty"))
        && !(type.behavior() instanceof CustomResourceBehavior);
  }

  /** Whether this shared object's JSON is what the request would be answered with. */
  static boolean asAddressed(ResourceType type, SharedObject o) {
    return o != null
        && type.apiVersion().equals(o.object().path("apiVersion").asText(null))
        && type.kind().equals(o.object().path("kind").asText(null));
  }

  /** {@code {"type":<eventType>,"object":<object>}}. */
  static byte[] event(String eventType, byte[] object) {
    byte[] head = ("{\"type\":\"" + eventType + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + object.length + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(object, 0, out, head.length, object.length);
    out[out.length - 1] = '}';
    return out;
  }

  /** A list of {@code type}: kind, apiVersion, {@code listMeta} and the items' JSON. */
  static byte[] list(ResourceType type, ObjectNode listMeta, List<byte[]> items) {
    ObjectNode shell = JsonNodeFactory.instance.objectNode();
    shell.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
    shell.set("metadata", listMeta);
    shell.putArray("items");
    // The shell ends with the empty items array and the object: "[]}". The items go in between.
    byte[] head = Replies.bytes(shell);
    int size = head.length + Math.max(0, items.size() - 1);
    for (byte[] i : items) {
      size += i.length;
    }
    byte[] out = new byte[size];
    int at = head.length - 2;
    System.arraycopy(head, 0, out, 0, at);
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] item = items.get(i);
      System.arraycopy(item, 0, out, at, item.length);
      at += item.length;
    }
    System.arraycopy(head, head.length - 2, out, at, 2);
    return out;
  }
}
