/**
 * The three patch types of the Kubernetes API, applied to objects held as Jackson trees.
 *
 * <ul>
 *   <li>{@link io.flotilla.api.patch.JsonPatch}: RFC 6902 operations ({@code
 *       application/json-patch+json}).
 *   <li>{@link io.flotilla.api.patch.JsonMergePatch}: RFC 7386 merge ({@code
 *       application/merge-patch+json}).
 *   <li>{@link io.flotilla.api.patch.StrategicMergePatch}: Kubernetes' strategic merge ({@code
 *       application/strategic-merge-patch+json}), which needs the kind's {@link
 *       io.flotilla.api.patch.PatchSchema}; only built-in kinds have one.
 * </ul>
 *
 * <p>Words: a <em>merge key</em> identifies an element of a list merged by key (a container's
 * "name"); a <em>patch strategy</em> says how a field merges ("merge", "replace", "retainKeys"); a
 * <em>directive</em> is a "$"-prefixed key of a strategic merge patch. The strategies and merge
 * keys of built-in types are project data: {@code patch-strategies.tsv}, read by {@link
 * io.flotilla.api.patch.PatchStrategies}, which also feeds the OpenAPI schemas' extensions.
 *
 * <p>Every apply function copies its inputs and throws {@link io.flotilla.api.patch.PatchException}
 * (400 or 422) without side effects on failure.
 */
package io.flotilla.api.patch;
