package io.flotilla.controllers;

import io.flotilla.controllers.deployment.DeploymentController;
import io.flotilla.controllers.garbagecollector.GarbageCollector;
import io.flotilla.controllers.namespace.NamespaceController;
import io.flotilla.controllers.replicaset.ReplicaSetController;
import io.flotilla.controllers.replicaset.ReplicationManager;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.serviceaccount.ServiceAccountController;

/**
 * The controllers {@code flotilla controllers} and {@code flotilla server} run, in one place: the
 * core ones, then {@link ControllerSet}'s.
 */
public final class DefaultControllers {
  private DefaultControllers() {}

  /** Adds every default controller to {@code b}. */
  public static ControllerManager.Builder addTo(ControllerManager.Builder b) {
    b.add(NamespaceController.NAME, NamespaceController::create)
        .add(ServiceAccountController.NAME, ServiceAccountController::create)
        .add(GarbageCollector.NAME, GarbageCollector::create)
        .add(ReplicaSetController.NAME, ReplicaSetController::create)
        .add(ReplicationManager.NAME, ReplicationManager::create)
        .add(DeploymentController.NAME, DeploymentController::create);
    return ControllerSet.addTo(b);
  }
}
