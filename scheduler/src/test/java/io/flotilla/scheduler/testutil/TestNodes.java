package io.flotilla.scheduler.testutil;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fluent test nodes: 4 cpu, 8Gi memory, 110 pods unless told otherwise. */
public final class TestNodes {
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, Quantity> allocatable = new HashMap<>();
  private final List<Taint> taints = new ArrayList<>();
  private boolean unschedulable;

  private TestNodes(String name) {
    this.name = name;
    labels.put("kubernetes.io/hostname", name);
    allocatable.put("cpu", new Quantity("4"));
    allocatable.put("memory", new Quantity("8Gi"));
    allocatable.put("pods", new Quantity("110"));
  }

  public static TestNodes node(String name) {
    return new TestNodes(name);
  }

  public TestNodes label(String k, String v) {
    labels.put(k, v);
    return this;
  }

  public TestNodes zone(String zone) {
    return label("topology.kubernetes.io/zone", zone);
  }

  public TestNodes allocatable(String resource, String quantity) {
    allocatable.put(resource, new Quantity(quantity));
    return this;
  }

  public TestNodes cpu(String q) {
    return allocatable("cpu", q);
  }

  public TestNodes memory(String q) {
    return allocatable("memory", q);
  }

  public TestNodes pods(int n) {
    return allocatable("pods", String.valueOf(n));
  }

  public TestNodes taint(String key, String value, String effect) {
    taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
    return this;
  }

  public TestNodes unschedulable() {
    this.unschedulable = true;
    return this;
  }

  public Node build() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints)
        .withUnschedulable(unschedulable ? true : null)
        .endSpec()
        .withNewStatus()
        .withAllocatable(allocatable)
        .withCapacity(allocatable)
        .endStatus()
        .build();
  }
}
