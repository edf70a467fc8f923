package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with everything the plugins ask about it parsed once: its requests, host ports and compiled
 * affinity terms. Built when the pod enters the queue or the cache, then shared and never changed,
 * so per-node plugin work does not re-parse quantities or selectors.
 */
public final class PodInfo {
  private final Pod pod;
  private final String key;
  private final String namespace;
  private final Map<String, String> labels;
  private final int priority;
  private final boolean terminating;
  private final Resource requests;
  private final Resource nonZeroRequests;
  private final List<HostPort> hostPorts;
  private final List<AffinityTerm> requiredAffinity;
  private final List<AffinityTerm> requiredAntiAffinity;
  private final List<WeightedAffinityTerm> preferredAffinity;
  private final List<WeightedAffinityTerm> preferredAntiAffinity;

  private PodInfo(Pod pod) {
    this.pod = pod;
    this.namespace =
        pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
    this.key = namespace + "/" + pod.getMetadata().getName();
    this.labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    Integer p = pod.getSpec().getPriority();
    this.priority = p == null ? 0 : p;
    this.terminating = pod.getMetadata().getDeletionTimestamp() != null;
    this.requests = PodRequests.of(pod.getSpec());
    this.nonZeroRequests = PodRequests.nonZero(pod.getSpec());
    this.hostPorts = hostPorts(pod);
    Affinity a = pod.getSpec().getAffinity();
    boolean hasAffinity = a != null && a.getPodAffinity() != null;
    boolean hasAnti = a != null && a.getPodAntiAffinity() != null;
    this.requiredAffinity =
        terms(
            hasAffinity
                ? a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                : null);
    this.requiredAntiAffinity =
        terms(
            hasAnti
                ? a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                : null);
    this.preferredAffinity =
        weighted(
            hasAffinity
                ? a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
                : null);
    this.preferredAntiAffinity =
        weighted(
            hasAnti
                ? a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
                : null);
  }

  /** Parses {@code pod}; the pod object must not be modified afterwards. */
  public static PodInfo of(Pod pod) {
    return new PodInfo(pod);
  }

  private List<AffinityTerm> terms(List<PodAffinityTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (PodAffinityTerm t : terms) {
      out.add(AffinityTerm.of(t, namespace));
    }
    return List.copyOf(out);
  }

  private List<WeightedAffinityTerm> weighted(List<WeightedPodAffinityTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return List.of();
    }
    List<WeightedAffinityTerm> out = new ArrayList<>(terms.size());
    for (WeightedPodAffinityTerm t : terms) {
      int w = t.getWeight() == null ? 0 : t.getWeight();
      out.add(new WeightedAffinityTerm(AffinityTerm.of(t.getPodAffinityTerm(), namespace), w));
    }
    return List.copyOf(out);
  }

  private static List<HostPort> hostPorts(Pod pod) {
    List<HostPort> out = new ArrayList<>(0);
    List<Container> containers = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      containers.addAll(pod.getSpec().getContainers());
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        if ("Always".equals(c.getRestartPolicy())) {
          containers.add(c);
        }
      }
    }
    for (Container c : containers) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          out.add(HostPort.of(p.getProtocol(), p.getHostIP(), p.getHostPort()));
        }
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  public Pod pod() {
    return pod;
  }

  /** namespace/name: the identity the queue, the cache and the nominator use. */
  public String key() {
    return key;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  public Map<String, String> labels() {
    return labels;
  }

  public int priority() {
    return priority;
  }

  public Resource requests() {
    return requests;
  }

  public Resource nonZeroRequests() {
    return nonZeroRequests;
  }

  public List<HostPort> hostPorts() {
    return hostPorts;
  }

  public List<AffinityTerm> requiredAffinity() {
    return requiredAffinity;
  }

  public List<AffinityTerm> requiredAntiAffinity() {
    return requiredAntiAffinity;
  }

  public List<WeightedAffinityTerm> preferredAffinity() {
    return preferredAffinity;
  }

  public List<WeightedAffinityTerm> preferredAntiAffinity() {
    return preferredAntiAffinity;
  }

  /** Any pod (anti-)affinity at all: such pods are listed apart in each NodeInfo. */
  public boolean hasAffinity() {
    return !requiredAffinity.isEmpty()
        || !requiredAntiAffinity.isEmpty()
        || !preferredAffinity.isEmpty()
        || !preferredAntiAffinity.isEmpty();
  }

  public boolean isTerminating() {
    return terminating;
  }

  public String nodeName() {
    return pod.getSpec().getNodeName();
  }

  @Override
  public String toString() {
    return "PodInfo{" + key + "}";
  }
}
