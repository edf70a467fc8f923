package io.flotilla.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.ClusterEvent.EventResource;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreBindPlugin;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import io.flotilla.scheduler.framework.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's VolumeBinding for PersistentVolumeClaims. PreFilter: a missing or deleting claim, a
 * bound claim whose volume is gone, or an unbound claim of an Immediate class makes the pod
 * unschedulable everywhere; claims of a WaitForFirstConsumer class wait for this pod. Filter: the
 * node must satisfy the node affinity of every bound volume. PreBind (on the binding executor):
 * writes the chosen node into each waiting claim ({@code volume.kubernetes.io/selected-node}) and
 * blocks until the provisioner's volume is bound, at most the bind timeout (upstream: 600 s).
 *
 * <p>Waiting claims take an existing unbound volume usable on the node when there is one ({@link
 * StaticVolumes}; PreBind then binds it as the binder would), else their class's provisioner makes
 * one; with neither (class provisioner {@value #NO_PROVISIONER}) the node is rejected: {@value
 * #ERR_NO_VOLUME}.
 */
public final class VolumeBinding
    implements PreFilterPlugin, FilterPlugin, PreBindPlugin, EnqueueExtensions {
  public static final String NAME = "VolumeBinding";
  public static final String ERR_CLAIM_NOT_FOUND = "persistentvolumeclaim \"%s\" not found";
  public static final String ERR_CLAIM_DELETING = "persistentvolumeclaim \"%s\" is being deleted";
  public static final String ERR_UNBOUND_IMMEDIATE =
      "pod has unbound immediate PersistentVolumeClaims";
  public static final String ERR_VOLUME_MISSING =
      "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
  public static final String ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict";
  public static final String ERR_NO_VOLUME =
      "node(s) didn't find available persistent volumes to bind";
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  public static final Duration DEFAULT_BIND_TIMEOUT = Duration.ofSeconds(600);

  private static final CycleState.Key<PodVolumes> KEY = new CycleState.Key<>(NAME);

  /**
   * What PreFilter found: bound volumes' node affinity; claims waiting for a node, with the
   * existing volumes that might serve each and whether a provisioner can make one; and, filled by
   * Filter (concurrently), the existing volume chosen per node and claim.
   */
  record PodVolumes(
      List<NodeSelector> affinity,
      List<PersistentVolumeClaim> waiting,
      Map<String, List<PersistentVolume>> candidates,
      Set<String> provisionable,
      Map<String, Map<String, PersistentVolume>> chosen) {}

  private final Volumes volumes;
  private final Duration bindTimeout;

  public VolumeBinding(Volumes volumes, Duration bindTimeout) {
    this.volumes = volumes;
    this.bindTimeout = bindTimeout;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes) {
    List<String> names = claimNames(pod);
    if (names.isEmpty()) {
      return Status.skip();
    }
    List<NodeSelector> affinity = new ArrayList<>();
    List<PersistentVolumeClaim> waiting = new ArrayList<>();
    Map<String, List<PersistentVolume>> candidates = new HashMap<>();
    Set<String> provisionable = new HashSet<>();
    for (String name : names) {
      PersistentVolumeClaim claim = volumes.claim(pod.namespace(), name);
      if (claim == null) {
        return Status.unresolvable(ERR_CLAIM_NOT_FOUND.formatted(name));
      }
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        return Status.unresolvable(ERR_CLAIM_DELETING.formatted(name));
      }
      String volumeName = claim.getSpec().getVolumeName();
      if (volumeName != null && !volumeName.isEmpty()) {
        PersistentVolume pv = volumes.volume(volumeName);
        if (pv == null) {
          return Status.unresolvable(ERR_VOLUME_MISSING);
        }
        if (pv.getSpec().getNodeAffinity() != null
            && pv.getSpec().getNodeAffinity().getRequired() != null) {
          affinity.add(pv.getSpec().getNodeAffinity().getRequired());
        }
      } else if (waitsForConsumer(claim)) {
        waiting.add(claim);
        candidates.put(name, StaticVolumes.candidates(claim, volumes.volumes()));
        StorageClass sc = volumes.storageClass(claim.getSpec().getStorageClassName());
        if (sc.getProvisioner() != null && !NO_PROVISIONER.equals(sc.getProvisioner())) {
          provisionable.add(name);
        }
      } else {
        return Status.unresolvable(ERR_UNBOUND_IMMEDIATE);
      }
    }
    state.write(
        KEY,
        new PodVolumes(
            List.copyOf(affinity),
            List.copyOf(waiting),
            candidates,
            provisionable,
            new ConcurrentHashMap<>()));
    return Status.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    PodVolumes v = state.read(KEY);
    if (v == null) {
      return Status.success();
    }
    for (NodeSelector required : v.affinity()) {
      if (!matches(required, node)) {
        return Status.unresolvable(ERR_NODE_CONFLICT);
      }
    }
    if (v.waiting().isEmpty()) {
      return Status.success();
    }
    // Each waiting claim takes the smallest existing volume usable here, else a provisioner's.
    Map<String, PersistentVolume> picks = new HashMap<>();
    Set<String> taken = new HashSet<>();
    for (PersistentVolumeClaim claim : v.waiting()) {
      String name = claim.getMetadata().getName();
      PersistentVolume pv = StaticVolumes.pick(v.candidates().get(name), node, taken);
      if (pv != null) {
        taken.add(pv.getMetadata().getName());
        picks.put(name, pv);
      } else if (!v.provisionable().contains(name)) {
        return Status.unresolvable(ERR_NO_VOLUME);
      }
    }
    v.chosen().put(node.name(), picks);
    return Status.success();
  }

  @Override
  public Status preBind(CycleState state, PodInfo pod, String nodeName) {
    PodVolumes v = state.read(KEY);
    if (v == null || v.waiting().isEmpty()) {
      return Status.success();
    }
    try {
      Map<String, PersistentVolume> picks = v.chosen().getOrDefault(nodeName, Map.of());
      for (PersistentVolumeClaim claim : v.waiting()) {
        PersistentVolume pv = picks.get(claim.getMetadata().getName());
        Map<String, String> a = claim.getMetadata().getAnnotations();
        if (pv != null) {
          volumes.bindVolume(pv, claim);
        } else if (a == null || !nodeName.equals(a.get(SELECTED_NODE))) {
          volumes.selectNode(claim, nodeName);
        }
      }
      for (PersistentVolumeClaim claim : v.waiting()) {
        String ns = claim.getMetadata().getNamespace();
        String name = claim.getMetadata().getName();
        if (!volumes.awaitBound(ns, name, bindTimeout)) {
          return Status.error(
              "binding volumes: timed out waiting for persistentvolumeclaim \"%s/%s\" to be bound"
                  .formatted(ns, name));
        }
      }
      return Status.success();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.error(e);
    } catch (Exception e) {
      return Status.error(e);
    }
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    int addOrUpdate = ClusterEvent.ADD | ClusterEvent.UPDATE;
    return List.of(
        ClusterEvent.of(EventResource.PERSISTENT_VOLUME_CLAIM, addOrUpdate),
        ClusterEvent.of(EventResource.PERSISTENT_VOLUME, addOrUpdate),
        ClusterEvent.of(EventResource.STORAGE_CLASS, addOrUpdate),
        ClusterEvent.of(EventResource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }

  private boolean waitsForConsumer(PersistentVolumeClaim claim) {
    String cls = claim.getSpec().getStorageClassName();
    if (cls == null || cls.isEmpty()) {
      return false;
    }
    StorageClass sc = volumes.storageClass(cls);
    return sc != null && "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
  }

  private static boolean matches(NodeSelector required, NodeInfo node) {
    List<NodeSelectorTerm> terms = required.getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return true;
    }
    for (NodeSelectorTerm t : terms) {
      if (RequiredNodeAffinity.termMatches(t, node)) {
        return true;
      }
    }
    return false;
  }

  /** The claims the pod's volumes name, in order. */
  static List<String> claimNames(PodInfo pod) {
    List<Volume> vs = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getVolumes();
    if (vs == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (Volume v : vs) {
      if (v.getPersistentVolumeClaim() != null
          && v.getPersistentVolumeClaim().getClaimName() != null) {
        names.add(v.getPersistentVolumeClaim().getClaimName());
      }
    }
    return names;
  }
}
