package io.flotilla.scheduler.plugins.defaultbinder;

import io.flotilla.scheduler.framework.BindPlugin;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;

/** Binds through the {@link Binder}; any failure becomes an Error status. */
public final class DefaultBinder implements BindPlugin {
  public static final String NAME = "DefaultBinder";

  private final Binder binder;

  public DefaultBinder(Binder binder) {
    this.binder = binder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status bind(CycleState state, PodInfo pod, String nodeName) {
    try {
      binder.bind(pod.pod(), nodeName);
      return Status.success();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.error(e);
    } catch (Exception e) {
      return Status.error(e);
    }
  }
}
