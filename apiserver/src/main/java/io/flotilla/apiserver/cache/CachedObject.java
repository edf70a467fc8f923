package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One version of a stored object as the watch cache holds it.
 *
 * <p>The {@code object} is parsed once from the store and then shared by the cache's current state,
 * its event window, every snapshot and every watch event: it must never be mutated. Callers that
 * need to change it (to strip fields, convert versions …) work on {@code object.deepCopy()}.
 *
 * @param key the store key, {@code /registry/<storageResource>/[<namespace>/]<name>}
 * @param revision the revision of this version: the key's modRevision, or for the object carried by
 *     a DELETED event the deleting revision
 * @param object the object, its {@code metadata.resourceVersion} already set to {@code revision}
 */
public record CachedObject(String key, long revision, ObjectNode object) {}
