package io.flotilla.controllers.replicaset;

import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;

/**
 * The ReplicationController controller (upstream's {@code replicationcontroller} "replication
 * manager"), which runs the ReplicaSet logic ({@link ReplicaSync}) over ReplicationControllers.
 */
public final class ReplicationManager {
  public static final String NAME = "replicationcontroller";

  private ReplicationManager() {}

  public static Controller create(ControllerContext ctx) {
    return ReplicaSetController.build(
        ctx,
        new ReplicaSync<>(ctx, new ReplicationControllerKind(), "replication-controller"),
        NAME);
  }
}
