package io.flotilla.scheduler.plugins.defaultbinder;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Writes a pod's binding to the API server (POST pods/{name}/binding). Called off the scheduling
 * thread; may block for the round trip. Throws when the API server refuses (the pod is then
 * forgotten by the cache and requeued).
 */
public interface Binder {
  void bind(Pod pod, String nodeName) throws Exception;
}
