package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the agent keeps of a Pod bound to one of its nodes: its identity, whether it is being
 * deleted, and its {@link PodShape}, shared between pods of one template; and, for agents that run
 * real containers ({@link AgentOptions#fullPods()}), the Pod itself (never modified). Immutable;
 * without the Pod a few dozen bytes beyond its strings, so hundreds of thousands fit.
 */
public record PodView(
    String key,
    String namespace,
    String name,
    String uid,
    String nodeName,
    boolean deleting,
    boolean scheduledConditionTrue,
    String phase,
    PodShape shape,
    Pod pod) {

  /** The part of a pod spec the agent acts on; equal for pods made from one template. */
  public record PodShape(
      List<ContainerShape> initContainers,
      List<ContainerShape> containers,
      String restartPolicy,
      Map<String, String> annotations,
      long terminationGraceSeconds) {}

  /** How long the pod's containers get to stop: the deletion's grace, else the spec's. */
  public long graceSeconds() {
    if (pod != null && pod.getMetadata().getDeletionGracePeriodSeconds() != null) {
      return pod.getMetadata().getDeletionGracePeriodSeconds();
    }
    return shape.terminationGraceSeconds();
  }

  /** One container of a {@link PodShape}. */
  public record ContainerShape(String name, String image) {}

  /** Interns shapes so that pods of one template share one. Thread-safe. */
  static final class Shapes {
    private final ConcurrentHashMap<PodShape, PodShape> shapes = new ConcurrentHashMap<>();
    private final Predicate<String> keepAnnotation;
    private final boolean keepPods;

    Shapes(Predicate<String> keepAnnotation, boolean keepPods) {
      this.keepAnnotation = keepAnnotation;
      this.keepPods = keepPods;
    }

    PodView view(String key, String nodeName, Pod pod) {
      var meta = pod.getMetadata();
      var spec = pod.getSpec();
      Map<String, String> ann =
          meta.getAnnotations() == null
              ? Map.of()
              : meta.getAnnotations().entrySet().stream()
                  .filter(e -> keepAnnotation.test(e.getKey()))
                  .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
      PodShape shape =
          new PodShape(
              containers(spec.getInitContainers()),
              containers(spec.getContainers()),
              spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy(),
              ann,
              spec.getTerminationGracePeriodSeconds() == null
                  ? 30
                  : spec.getTerminationGracePeriodSeconds());
      PodShape shared = shapes.computeIfAbsent(shape, s -> s);
      boolean scheduled = false;
      String phase = null;
      if (pod.getStatus() != null) {
        phase = pod.getStatus().getPhase();
        if (pod.getStatus().getConditions() != null) {
          for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "True".equals(c.getStatus())) {
              scheduled = true;
            }
          }
        }
      }
      return new PodView(
          key,
          meta.getNamespace().intern(),
          meta.getName(),
          meta.getUid(),
          nodeName,
          meta.getDeletionTimestamp() != null,
          scheduled,
          phase == null ? null : phase.intern(),
          shared,
          keepPods ? pod : null);
    }

    int size() {
      return shapes.size();
    }

    private static List<ContainerShape> containers(List<Container> cs) {
      if (cs == null || cs.isEmpty()) {
        return List.of();
      }
      return cs.stream().map(c -> new ContainerShape(c.getName(), c.getImage())).toList();
    }
  }
}
