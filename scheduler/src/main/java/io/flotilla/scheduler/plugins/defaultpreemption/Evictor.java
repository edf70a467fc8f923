package io.flotilla.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Removes a preemption victim (deletes the pod through the API server, with a Preempted event
 * naming {@code preemptor}). Called on the scheduling thread; must not wait for the pod to
 * terminate. Throws when the API server refuses.
 */
public interface Evictor {
  void evict(Pod victim, Pod preemptor) throws Exception;
}
