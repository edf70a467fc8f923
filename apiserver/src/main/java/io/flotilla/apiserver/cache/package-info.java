/**
 * The watch cache: one {@link io.flotilla.apiserver.cache.WatchCache} per storage resource keeps
 * every object of that resource in memory, with a window of recent changes, so that the REST
 * handlers serve lists and watches without reading the store (kube-apiserver's cacher).
 *
 * <p>In: the store's range and watch on {@code /registry/<storageResource>/}. Out: {@link
 * io.flotilla.apiserver.cache.Snapshot}s for lists and {@link
 * io.flotilla.apiserver.cache.CacheEvent}s for watches.
 *
 * <p>Words: a <em>change</em> is one store write to one key; an <em>event</em> is a change as one
 * watch sees it through its selector (a change can be an ADDED for one watch, a DELETED for
 * another, nothing for a third); the <em>event window</em> holds the recent changes a watch can
 * resume from; a resourceVersion is a store revision in decimal.
 */
package io.flotilla.apiserver.cache;
