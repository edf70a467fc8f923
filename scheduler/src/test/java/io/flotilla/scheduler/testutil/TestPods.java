package io.flotilla.scheduler.testutil;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.flotilla.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fluent test pods built with the fabric8 builders. */
public final class TestPods {
  private final String name;
  private String namespace = "default";
  private String nodeName;
  private Integer priority;
  private String preemptionPolicy;
  private String nominatedNodeName;
  private String startTime;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> nodeSelector = new LinkedHashMap<>();
  private final List<Container> containers = new ArrayList<>();
  private final List<Container> initContainers = new ArrayList<>();
  private final List<Toleration> tolerations = new ArrayList<>();
  private final List<TopologySpreadConstraint> spread = new ArrayList<>();
  private final Map<String, Quantity> overhead = new HashMap<>();
  private final AffinityBuilder affinity = new AffinityBuilder();
  private boolean hasAffinity;
  private boolean owned;

  private TestPods(String name) {
    this.name = name;
  }

  public static TestPods pod(String name) {
    return new TestPods(name);
  }

  public TestPods namespace(String ns) {
    this.namespace = ns;
    return this;
  }

  public TestPods label(String k, String v) {
    labels.put(k, v);
    return this;
  }

  public TestPods node(String nodeName) {
    this.nodeName = nodeName;
    return this;
  }

  public TestPods priority(int p) {
    this.priority = p;
    return this;
  }

  public TestPods preemptionPolicy(String p) {
    this.preemptionPolicy = p;
    return this;
  }

  public TestPods nominated(String node) {
    this.nominatedNodeName = node;
    return this;
  }

  public TestPods startTime(String iso) {
    this.startTime = iso;
    return this;
  }

  public TestPods ownedByReplicaSet() {
    this.owned = true;
    return this;
  }

  /** A container requesting the given resources ("cpu", "500m", "memory", "1Gi", …). */
  public TestPods container(String... requests) {
    containers.add(container("c" + containers.size(), requests, null));
    return this;
  }

  public TestPods initContainer(String... requests) {
    initContainers.add(container("i" + initContainers.size(), requests, null));
    return this;
  }

  public TestPods sidecar(String... requests) {
    initContainers.add(container("s" + initContainers.size(), requests, "Always"));
    return this;
  }

  public TestPods hostPort(int port, String protocol, String hostIp) {
    containers.add(
        new ContainerBuilder()
            .withName("p" + containers.size())
            .withImage("x")
            .addNewPort()
            .withContainerPort(port)
            .withHostPort(port)
            .withProtocol(protocol)
            .withHostIP(hostIp)
            .endPort()
            .build());
    return this;
  }

  public TestPods overhead(String resource, String q) {
    overhead.put(resource, new Quantity(q));
    return this;
  }

  public TestPods toleration(String key, String operator, String value, String effect) {
    tolerations.add(
        new TolerationBuilder()
            .withKey(key)
            .withOperator(operator)
            .withValue(value)
            .withEffect(effect)
            .build());
    return this;
  }

  public TestPods nodeSelector(String k, String v) {
    nodeSelector.put(k, v);
    return this;
  }

  /** One required node affinity term with one expression; call again for another term. */
  public TestPods requiredNodeTerm(String key, String op, String... values) {
    hasAffinity = true;
    affinity
        .editOrNewNodeAffinity()
        .editOrNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addToNodeSelectorTerms(
            new NodeSelectorTermBuilder()
                .addToMatchExpressions(
                    new NodeSelectorRequirementBuilder()
                        .withKey(key)
                        .withOperator(op)
                        .withValues(values)
                        .build())
                .build())
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity();
    return this;
  }

  public TestPods requiredNodeNameField(String op, String... names) {
    hasAffinity = true;
    affinity
        .editOrNewNodeAffinity()
        .editOrNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addToNodeSelectorTerms(
            new NodeSelectorTermBuilder()
                .addToMatchFields(
                    new NodeSelectorRequirementBuilder()
                        .withKey("metadata.name")
                        .withOperator(op)
                        .withValues(names)
                        .build())
                .build())
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity();
    return this;
  }

  public TestPods preferredNodeTerm(int weight, String key, String op, String... values) {
    hasAffinity = true;
    affinity
        .editOrNewNodeAffinity()
        .addToPreferredDuringSchedulingIgnoredDuringExecution(
            new PreferredSchedulingTermBuilder()
                .withWeight(weight)
                .withNewPreference()
                .addToMatchExpressions(
                    new NodeSelectorRequirementBuilder()
                        .withKey(key)
                        .withOperator(op)
                        .withValues(values)
                        .build())
                .endPreference()
                .build())
        .endNodeAffinity();
    return this;
  }

  public static PodAffinityTerm term(String topologyKey, String labelKey, String labelValue) {
    return new PodAffinityTermBuilder()
        .withTopologyKey(topologyKey)
        .withLabelSelector(
            new LabelSelectorBuilder().addToMatchLabels(labelKey, labelValue).build())
        .build();
  }

  public TestPods podAffinity(PodAffinityTerm term) {
    hasAffinity = true;
    affinity
        .editOrNewPodAffinity()
        .addToRequiredDuringSchedulingIgnoredDuringExecution(term)
        .endPodAffinity();
    return this;
  }

  public TestPods podAntiAffinity(PodAffinityTerm term) {
    hasAffinity = true;
    affinity
        .editOrNewPodAntiAffinity()
        .addToRequiredDuringSchedulingIgnoredDuringExecution(term)
        .endPodAntiAffinity();
    return this;
  }

  public TestPods preferredPodAffinity(int weight, PodAffinityTerm term) {
    hasAffinity = true;
    affinity
        .editOrNewPodAffinity()
        .addToPreferredDuringSchedulingIgnoredDuringExecution(
            new WeightedPodAffinityTermBuilder()
                .withWeight(weight)
                .withPodAffinityTerm(term)
                .build())
        .endPodAffinity();
    return this;
  }

  public TestPods preferredPodAntiAffinity(int weight, PodAffinityTerm term) {
    hasAffinity = true;
    affinity
        .editOrNewPodAntiAffinity()
        .addToPreferredDuringSchedulingIgnoredDuringExecution(
            new WeightedPodAffinityTermBuilder()
                .withWeight(weight)
                .withPodAffinityTerm(term)
                .build())
        .endPodAntiAffinity();
    return this;
  }

  public TestPods spread(
      int maxSkew, String topologyKey, String when, String labelKey, String labelValue) {
    spread.add(
        new TopologySpreadConstraintBuilder()
            .withMaxSkew(maxSkew)
            .withTopologyKey(topologyKey)
            .withWhenUnsatisfiable(when)
            .withLabelSelector(
                new LabelSelectorBuilder().addToMatchLabels(labelKey, labelValue).build())
            .build());
    return this;
  }

  public TestPods spread(TopologySpreadConstraint c) {
    spread.add(c);
    return this;
  }

  private static Container container(String name, String[] requests, String restartPolicy) {
    Map<String, Quantity> req = new HashMap<>();
    for (int i = 0; i + 1 < requests.length; i += 2) {
      req.put(requests[i], new Quantity(requests[i + 1]));
    }
    return new ContainerBuilder()
        .withName(name)
        .withImage("x")
        .withRestartPolicy(restartPolicy)
        .withNewResources()
        .withRequests(req.isEmpty() ? null : req)
        .endResources()
        .build();
  }

  public Pod build() {
    Affinity a = hasAffinity ? affinity.build() : null;
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .withCreationTimestamp(startTime)
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName)
            .withPriority(priority)
            .withPreemptionPolicy(preemptionPolicy)
            .withContainers(
                containers.isEmpty() ? List.of(container("c", new String[0], null)) : containers)
            .withInitContainers(initContainers)
            .withTolerations(tolerations)
            .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
            .withAffinity(a)
            .withTopologySpreadConstraints(spread)
            .withOverhead(overhead.isEmpty() ? null : overhead)
            .endSpec()
            .withNewStatus()
            .withNominatedNodeName(nominatedNodeName)
            .withStartTime(startTime)
            .endStatus();
    if (owned) {
      b.editMetadata()
          .addNewOwnerReference()
          .withApiVersion("apps/v1")
          .withKind("ReplicaSet")
          .withName(name + "-rs")
          .withUid("uid-" + name)
          .withController(true)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  public PodInfo info() {
    return PodInfo.of(build());
  }
}
