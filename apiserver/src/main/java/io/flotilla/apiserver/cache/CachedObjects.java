package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.store.KeyValue;
import java.io.IOException;

/** Turns stored bytes into {@link CachedObject}s and restamps them; no state. */
final class CachedObjects {
  private CachedObjects() {}

  /**
   * Parses a stored value and sets {@code metadata.resourceVersion} to the key's modRevision (the
   * store never holds it). Mutating here is safe: the node is not yet shared.
   *
   * @throws IOException when the value is not a JSON object
   */
  static CachedObject parse(ObjectMapper mapper, KeyValue kv) throws IOException {
    JsonNode node = mapper.readTree(kv.value());
    if (!(node instanceof ObjectNode object)) {
      throw new IOException(
          "value of %s is not a JSON object (got %s)"
              .formatted(kv.key(), node == null ? "nothing" : node.getNodeType()));
    }
    ObjectNode metadata =
        object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(kv.modRevision()));
    return new CachedObject(kv.key(), kv.modRevision(), object);
  }

  /**
   * A copy of {@code o} whose resourceVersion is {@code revision}. Only the top level and metadata
   * are copied; everything below is shared, which is safe because cached nodes are never mutated.
   */
  static CachedObject atRevision(CachedObject o, long revision) {
    ObjectNode original = o.object();
    ObjectNode copy = original.objectNode();
    copy.setAll(original);
    ObjectNode metadata = copy.objectNode();
    if (original.get("metadata") instanceof ObjectNode m) {
      metadata.setAll(m);
    }
    metadata.put("resourceVersion", Long.toString(revision));
    copy.set("metadata", metadata);
    return new CachedObject(o.key(), revision, copy);
  }
}
