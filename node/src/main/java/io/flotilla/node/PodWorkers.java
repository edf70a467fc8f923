package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.node.pod.ObjectSource;
import io.flotilla.node.pod.Probes;
import io.flotilla.node.runtime.ContainerEvent;
import io.flotilla.node.runtime.Runtime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods bound to the agent's nodes. One pod informer for all nodes (field selector on
 * spec.nodeName, a {@link LeanPodStore}) turns each change into a {@link PodView} and queues the
 * pod's key; runtime STOPPED events and due timers queue it too. A bounded pool of workers takes
 * keys from the {@link KeyQueue}, runs {@link PodSync} against the node's runtime and writes the
 * status through pods/status when it changed; a pod with a deletionTimestamp is stopped, reported
 * terminated and deleted with gracePeriodSeconds=0, as kubelet does.
 *
 * <p>Threading: the informer thread only converts and queues; all runtime calls and API writes for
 * a pod happen on the one worker holding its key.
 */
final class PodWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

  /** A node this agent runs pods for. */
  record NodeHandle(
      String name, Runtime runtime, String hostIp, Map<String, Quantity> allocatable) {
    NodeHandle(String name, Runtime runtime, String hostIp) {
      this(name, runtime, hostIp, Map.of());
    }
  }

  private final KubernetesClient client;
  private final Map<String, NodeHandle> nodes;
  private final AgentOptions opts;
  private final PodView.Shapes shapes;
  private final PodSync podSync;
  private final PodFeatures features;
  private final KeyQueue queue;
  private final ConcurrentHashMap<String, PodView> desired = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PodRecord> records = new ConcurrentHashMap<>();
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private final AtomicLong statusWrites = new AtomicLong();
  private SharedIndexInformer<Pod> informer;

  PodWorkers(
      KubernetesClient client,
      Map<String, NodeHandle> nodes,
      AgentOptions opts,
      ScheduledExecutorService timers,
      String runtimeName) {
    this.client = client;
    this.nodes = nodes;
    this.opts = opts;
    this.shapes = new PodView.Shapes(opts.keepAnnotation(), opts.fullPods());
    this.queue =
        new KeyQueue(
            "flotilla-pod-worker", opts.podWorkers(), timers, Duration.ofSeconds(1), this::sync);
    this.features =
        opts.fullPods()
            ? new PodFeatures(
                ObjectSource.of(client), new Probes(4, queue::add), opts.dataDir(), opts.clock())
            : null;
    this.podSync =
        new PodSync(
            runtimeName,
            opts.clock(),
            opts.initialRestartBackoff(),
            opts.maxRestartBackoff(),
            opts.readinessDelay(),
            features,
            opts.backoffResetAfter());
  }

  void start() {
    for (NodeHandle n : nodes.values()) {
      subscriptions.add(n.runtime().containerEvents(this::onContainerEvent));
    }
    var pods = client.pods().inAnyNamespace();
    var filtered =
        nodes.size() == 1
            ? pods.withField("spec.nodeName", nodes.keySet().iterator().next())
            : pods.withoutField("spec.nodeName", "");
    informer = filtered.withLimit(500L).runnableInformer(0);
    informer.itemStore(new LeanPodStore(nodes.keySet()));
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            observe(pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            observe(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            if (desired.remove(key) != null || records.containsKey(key)) {
              queue.add(key);
            }
          }
        });
    informer.run();
  }

  /** Pods the agent currently knows on its nodes. */
  int podCount() {
    return desired.size();
  }

  long statusWrites() {
    return statusWrites.get();
  }

  /**
   * The pod {@code namespace/name} if it is bound to one of these nodes, for the kubelet server.
   */
  LocatedPod locate(String namespace, String name) {
    String key = namespace + "/" + name;
    PodView view = desired.get(key);
    if (view == null) {
      return null;
    }
    PodRecord rec = records.get(key);
    boolean same = rec != null && view.uid().equals(rec.uid);
    List<String> names = new ArrayList<>();
    view.shape().initContainers().forEach(c -> names.add(c.name()));
    view.shape().containers().forEach(c -> names.add(c.name()));
    return new LocatedPod(
        namespace,
        name,
        view.uid(),
        nodes.get(view.nodeName()).runtime(),
        same ? rec.sandboxId : null,
        same ? rec.logDirectory : null,
        names);
  }

  private void observe(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    NodeHandle node = nodeName == null ? null : nodes.get(nodeName);
    if (node == null) {
      return;
    }
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    PodView old = desired.get(key);
    PodView view = shapes.view(old == null ? key : old.key(), node.name(), pod);
    desired.put(view.key(), view);
    queue.add(view.key());
  }

  private void onContainerEvent(ContainerEvent e) {
    if (e.type() == ContainerEvent.Type.STOPPED) {
      queue.add(e.podNamespace() + "/" + e.podName());
    }
  }

  private void sync(String key) {
    PodView pod = desired.get(key);
    PodRecord rec = records.get(key);
    if (pod == null) {
      if (rec != null) {
        forget(key, rec);
      }
      return;
    }
    if (rec != null && !pod.uid().equals(rec.uid)) {
      // Deleted and created again under the same name: the old one's sandbox goes first.
      forget(key, rec);
      rec = null;
    }
    NodeHandle node = nodes.get(pod.nodeName());
    boolean finishedEarlier =
        rec == null && ("Succeeded".equals(pod.phase()) || "Failed".equals(pod.phase()));
    if (rec == null) {
      rec = new PodRecord();
      rec.uid = pod.uid();
      rec.nodeName = node.name();
      records.put(pod.key(), rec);
    }
    if (pod.deleting()) {
      terminate(pod, rec, node);
      return;
    }
    if (finishedEarlier) {
      // Ran to completion before this agent (re)started: nothing to run, nothing to report.
      rec.sandboxStopped = true;
      return;
    }
    if (rec.sandboxStopped && rec.sandboxId == null) {
      return;
    }
    PodSync.Result r = podSync.sync(pod, rec, node.runtime(), node.hostIp(), node.allocatable());
    if (r.status().terminal() && !rec.sandboxStopped) {
      // kubelet stops the sandbox of a pod that finished; its IP stays in the status.
      podSync.stop(pod, rec, node.runtime());
      r = podSync.sync(pod, rec, node.runtime(), node.hostIp(), node.allocatable());
    }
    write(pod, rec, r.status());
    Duration recheck = r.recheckAfter();
    if (features != null
        && pod.pod() != null
        && !r.status().terminal()
        && features.refreshesVolumes(pod)) {
      // ConfigMap, Secret and downward API changes reach mounted volumes on this period.
      Duration v = opts.volumeResyncInterval();
      recheck = recheck == null || v.compareTo(recheck) < 0 ? v : recheck;
    }
    if (recheck != null) {
      queue.addAfter(key, recheck);
    }
  }

  private void terminate(PodView pod, PodRecord rec, NodeHandle node) {
    if (rec.deleteSent) {
      return;
    }
    if (rec.sandboxId != null) {
      podSync.stop(pod, rec, node.runtime());
      PodSync.Result r = podSync.sync(pod, rec, node.runtime(), node.hostIp(), node.allocatable());
      write(pod, rec, r.status());
    }
    try {
      client.pods().inNamespace(pod.namespace()).withName(pod.name()).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    rec.deleteSent = true;
    if (rec.sandboxId != null) {
      removeSandbox(rec, node);
    }
  }

  private void forget(String key, PodRecord rec) {
    NodeHandle node = nodes.get(rec.nodeName);
    if (rec.sandboxId != null && node != null) {
      removeSandbox(rec, node);
    }
    records.remove(key, rec);
  }

  private void removeSandbox(PodRecord rec, NodeHandle node) {
    var containers = node.runtime().listContainers(rec.sandboxId);
    node.runtime().removePodSandbox(rec.sandboxId);
    if (features != null) {
      features.forget(rec, containers);
    }
  }

  private void write(PodView pod, PodRecord rec, PodStatusPatch status) {
    String patch = status.render();
    long hash = PodRecord.hash(patch);
    if (hash == rec.lastPatchHash) {
      return;
    }
    try {
      client
          .pods()
          .inNamespace(pod.namespace())
          .withName(pod.name())
          .subresource("status")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
      statusWrites.incrementAndGet();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return;
      }
      LOG.debug("pod {}: status write failed: {}", pod.key(), e.getMessage());
      throw e;
    }
    rec.lastPatchHash = hash;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    queue.close();
    if (features != null) {
      features.close();
    }
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception e) {
        // Unsubscribing from an in-memory runtime does not fail.
      }
    }
  }
}
