package io.flotilla.scheduler.framework;

/**
 * A change in the cluster that may make pods schedulable: a kind of object and a set of actions
 * (bit flags, so a registration can cover several).
 */
public record ClusterEvent(EventResource resource, int actions, String label) {
  public enum EventResource {
    NODE,
    /** A pod bound to a node. */
    ASSIGNED_POD,
    /** A pod not yet bound. */
    UNSCHEDULED_POD,
    NAMESPACE,
    PERSISTENT_VOLUME_CLAIM,
    PERSISTENT_VOLUME,
    STORAGE_CLASS,
    /** Any resource: used for registrations that care about everything. */
    WILDCARD
  }

  public static final int ADD = 1;
  public static final int DELETE = 1 << 1;
  public static final int UPDATE_NODE_ALLOCATABLE = 1 << 2;
  public static final int UPDATE_NODE_LABEL = 1 << 3;
  public static final int UPDATE_NODE_TAINT = 1 << 4;
  public static final int UPDATE_NODE_CONDITION = 1 << 5;
  public static final int UPDATE_POD_LABEL = 1 << 6;
  public static final int UPDATE_POD_SCALE_DOWN = 1 << 7;
  public static final int UPDATE_OTHER = 1 << 8;
  public static final int UPDATE =
      UPDATE_NODE_ALLOCATABLE
          | UPDATE_NODE_LABEL
          | UPDATE_NODE_TAINT
          | UPDATE_NODE_CONDITION
          | UPDATE_POD_LABEL
          | UPDATE_POD_SCALE_DOWN
          | UPDATE_OTHER;
  public static final int ALL = ADD | DELETE | UPDATE;

  public static final ClusterEvent NODE_ADD = new ClusterEvent(EventResource.NODE, ADD, "NodeAdd");
  public static final ClusterEvent ASSIGNED_POD_DELETE =
      new ClusterEvent(EventResource.ASSIGNED_POD, DELETE, "AssignedPodDelete");
  public static final ClusterEvent ASSIGNED_POD_ADD =
      new ClusterEvent(EventResource.ASSIGNED_POD, ADD, "AssignedPodAdd");

  /** Fired when the unschedulable pods have waited their maximum time. */
  public static final ClusterEvent UNSCHEDULABLE_TIMEOUT =
      new ClusterEvent(EventResource.WILDCARD, ALL, "UnschedulableTimeout");

  public static ClusterEvent of(EventResource resource, int actions) {
    return new ClusterEvent(resource, actions, resource + "/" + actions);
  }

  /** Whether this (fired) event is one that {@code registered} waits for. */
  public boolean matches(ClusterEvent registered) {
    boolean sameResource =
        registered.resource == EventResource.WILDCARD
            || resource == EventResource.WILDCARD
            || registered.resource == resource;
    return sameResource && (registered.actions & actions) != 0;
  }
}
