package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.apiserver.registry.JsonMappers;
import io.flotilla.apiserver.registry.ListWatchSource;
import java.util.Objects;

/**
 * One version of a stored object as the watch cache holds it.
 *
 * <p>The {@code object} is parsed once from the store and then shared by the cache's current state,
 * its event window, every snapshot and every watch event: it must never be mutated. Callers that
 * need to change it (to strip fields, convert versions …) work on {@code object.deepCopy()}.
 *
 * <p>Its compact JSON ({@link #json()}) is written on first use and kept, so that a change sent to
 * a hundred watchers, or an object listed many times, is serialized once. Thread-safe: the JSON may
 * be computed by two threads at once, which then write the same bytes.
 */
public final class CachedObject implements ListWatchSource.SharedObject {
  private static final ObjectMapper JSON = JsonMappers.pooled();

  private final String key;
  private final long revision;
  private final ObjectNode object;
  private volatile byte[] json;

  /**
   * @param key the store key, {@code /registry/<storageResource>/[<namespace>/]<name>}
   * @param revision the revision of this version: the key's modRevision, or for the object carried
   *     by a DELETED event the deleting revision
   * @param object the object, its {@code metadata.resourceVersion} already set to {@code revision}
   */
  public CachedObject(String key, long revision, ObjectNode object) {
    this.key = key;
    this.revision = revision;
    this.object = object;
  }

  public String key() {
    return key;
  }

  public long revision() {
    return revision;
  }

  @Override
  public ObjectNode object() {
    return object;
  }

  /** The object as compact JSON, as Jackson's default ObjectMapper writes it. Never modify it. */
  @Override
  public byte[] json() {
    byte[] j = json;
    if (j == null) {
      try {
        j = JSON.writeValueAsBytes(object);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write cached object " + key, e);
      }
      json = j;
    }
    return j;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedObject c
        && c.revision == revision
        && c.key.equals(key)
        && Objects.equals(c.object, object);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, revision, object);
  }

  @Override
  public String toString() {
    return "CachedObject[key=" + key + ", revision=" + revision + ", object=" + object + "]";
  }
}
