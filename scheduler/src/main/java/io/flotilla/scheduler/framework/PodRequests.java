package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of a node. Regular containers run together; sidecars (init containers with
 * restartPolicy Always) run beside everything started after them; each ordinary init container runs
 * alone beside the sidecars before it. The request is the larger of the two phases, plus the pod
 * overhead.
 */
public final class PodRequests {
  /** Upstream's defaults for containers without a request, used only for scoring spread. */
  public static final long DEFAULT_MILLI_CPU = 100;

  public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

  private PodRequests() {}

  /** The requests used by the fit filter (missing requests count as zero). */
  public static Resource of(PodSpec spec) {
    return compute(spec, false);
  }

  /** The requests used by scoring: missing cpu/memory requests count as the defaults. */
  public static Resource nonZero(PodSpec spec) {
    return compute(spec, true);
  }

  private static Resource compute(PodSpec spec, boolean nonZero) {
    Resource total = new Resource();
    for (Container c : list(spec.getContainers())) {
      total.add(container(c, nonZero));
    }
    Resource sidecars = new Resource();
    Resource initMax = new Resource();
    for (Container c : list(spec.getInitContainers())) {
      Resource r = container(c, nonZero);
      if ("Always".equals(c.getRestartPolicy())) {
        total.add(r);
        sidecars.add(r);
        initMax.setMax(sidecars);
      } else {
        r.add(sidecars);
        initMax.setMax(r);
      }
    }
    total.setMax(initMax);
    if (spec.getOverhead() != null) {
      total.add(Resource.of(spec.getOverhead()));
    }
    return total;
  }

  private static Resource container(Container c, boolean nonZero) {
    Map<String, Quantity> requests =
        c.getResources() == null ? null : c.getResources().getRequests();
    Resource r = Resource.of(requests);
    if (nonZero) {
      Resource only = new Resource(r.milliCpu(), r.memory());
      if (requests == null || !requests.containsKey(Resource.CPU)) {
        only.set(Resource.CPU, DEFAULT_MILLI_CPU);
      }
      if (requests == null || !requests.containsKey(Resource.MEMORY)) {
        only.set(Resource.MEMORY, DEFAULT_MEMORY);
      }
      return only;
    }
    return r;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
