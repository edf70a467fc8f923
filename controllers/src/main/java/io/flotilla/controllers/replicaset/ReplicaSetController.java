package io.flotilla.controllers.replicaset;

import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;

/**
 * The ReplicaSet controller (upstream's {@code replicaset-controller}): keeps {@code replicas} pods
 * of each ReplicaSet's template, owns them with {@code controller: true}, adopts and releases pods
 * by selector, and writes the status counters. The logic is {@link ReplicaSync}.
 */
public final class ReplicaSetController {
  public static final String NAME = "replicaset";
  public static final int WORKERS = 5;

  private ReplicaSetController() {}

  public static Controller create(ControllerContext ctx) {
    return build(ctx, new ReplicaSync<>(ctx, new ReplicaSetKind(), "replicaset-controller"), NAME);
  }

  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Controller build(
      ControllerContext ctx, ReplicaSync<T> sync, String name) {
    Controller c =
        Controller.builder(ctx, name, sync)
            .watch(sync.owners)
            .reads(sync.pods)
            .workers(WORKERS)
            .build();
    sync.pods.addEventHandler(new PodEvents<>(sync, c));
    return c;
  }
}
