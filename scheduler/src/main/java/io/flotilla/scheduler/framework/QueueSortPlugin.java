package io.flotilla.scheduler.framework;

/** Orders the active queue; a profile has exactly one. Must be a strict weak ordering. */
public interface QueueSortPlugin extends Plugin {
  boolean less(QueuedPodInfo a, QueuedPodInfo b);
}
