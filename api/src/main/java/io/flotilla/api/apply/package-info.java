/**
 * Server-side apply: field paths and sets in the FieldsV1 encoding, the field set of an object
 * given its list and map types, the apply merge with conflict detection, and the managedFields
 * bookkeeping of every write, with the semantics of Kubernetes' structured-merge-diff.
 */
package io.flotilla.api.apply;
