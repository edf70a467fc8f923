package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.flotilla.node.runtime.Runtime;
import java.time.Duration;

/**
 * postStart and preStop hooks (exec, httpGet, sleep). Returns null on success or what failed.
 *
 * <p>Threading: stateless; blocks while the hook runs, at most {@code timeout}.
 */
public final class Hooks {
  private Hooks() {}

  public static String run(
      LifecycleHandler h,
      Container c,
      Runtime rt,
      String containerId,
      String podIp,
      Duration timeout) {
    if (h == null) {
      return null;
    }
    try {
      if (h.getExec() != null) {
        return Handlers.exec(rt, containerId, h.getExec(), timeout);
      }
      if (h.getHttpGet() != null) {
        return Handlers.httpGet(h.getHttpGet(), c, podIp, timeout);
      }
      if (h.getTcpSocket() != null) {
        return Handlers.tcp(h.getTcpSocket(), c, podIp, timeout);
      }
      return null;
    } catch (ConfigError e) {
      return e.getMessage();
    }
  }

  public static LifecycleHandler postStart(Container c) {
    return c.getLifecycle() == null ? null : c.getLifecycle().getPostStart();
  }

  public static LifecycleHandler preStop(Container c) {
    return c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
  }
}
