package io.flotilla.scheduler.framework;

import java.util.List;

/**
 * The cluster events after which a pod this plugin rejected may fit: the queue moves such pods out
 * of the unschedulable set only on these events. A rejecting plugin that does not implement this is
 * treated as interested in every event.
 */
public interface EnqueueExtensions {
  List<ClusterEvent> eventsToRegister();
}
