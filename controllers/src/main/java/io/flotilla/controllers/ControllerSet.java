package io.flotilla.controllers;

import io.flotilla.controllers.cronjob.CronJobController;
import io.flotilla.controllers.daemonset.DaemonSetController;
import io.flotilla.controllers.disruption.DisruptionController;
import io.flotilla.controllers.endpoints.EndpointsController;
import io.flotilla.controllers.endpointslice.EndpointSliceController;
import io.flotilla.controllers.job.JobController;
import io.flotilla.controllers.localpath.LocalPathProvisioner;
import io.flotilla.controllers.nodelifecycle.NodeLifecycleController;
import io.flotilla.controllers.persistentvolume.PersistentVolumeController;
import io.flotilla.controllers.podgc.PodGcController;
import io.flotilla.controllers.resourcequota.ResourceQuotaController;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.statefulset.StatefulSetController;
import io.flotilla.controllers.ttlafterfinished.TtlAfterFinishedController;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The batch, apps, networking, node, policy and storage controllers by name, with their default
 * options, for a {@link ControllerManager} ({@code DefaultControllers} adds these after the core
 * ones).
 */
public final class ControllerSet {
  private ControllerSet() {}

  /** Name → factory, in a stable order. */
  public static Map<String, Function<ControllerContext, Controller>> all() {
    Map<String, Function<ControllerContext, Controller>> m = new LinkedHashMap<>();
    m.put(JobController.NAME, JobController::create);
    m.put(TtlAfterFinishedController.NAME, TtlAfterFinishedController::create);
    m.put(CronJobController.NAME, CronJobController::create);
    m.put(DaemonSetController.NAME, DaemonSetController::create);
    m.put(StatefulSetController.NAME, StatefulSetController::create);
    m.put(EndpointsController.NAME, EndpointsController::create);
    m.put(EndpointSliceController.NAME, EndpointSliceController::create);
    m.put(NodeLifecycleController.NAME, NodeLifecycleController::create);
    m.put(PodGcController.NAME, PodGcController::create);
    m.put(ResourceQuotaController.NAME, ResourceQuotaController::create);
    m.put(DisruptionController.NAME, DisruptionController::create);
    m.put(PersistentVolumeController.NAME, PersistentVolumeController::create);
    m.put(LocalPathProvisioner.NAME, LocalPathProvisioner::create);
    return m;
  }

  /** Adds every controller of {@link #all()} to {@code b}. */
  public static ControllerManager.Builder addTo(ControllerManager.Builder b) {
    all().forEach(b::add);
    return b;
  }
}
