package io.flotilla.scheduler.plugins.defaultpreemption;

import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.Diagnosis;
import io.flotilla.scheduler.framework.FitError;
import io.flotilla.scheduler.framework.Handle;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PostFilterPlugin;
import io.flotilla.scheduler.framework.PostFilterResult;
import io.flotilla.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * PostFilter: when no node fits, finds nodes where evicting lower-priority pods would make the pod
 * fit (a dry run per node with the Filter plugins), picks the least harmful, evicts its victims and
 * nominates the node. Nodes rejected as unresolvable are not tried.
 */
public final class DefaultPreemption implements PostFilterPlugin {
  public static final String NAME = "DefaultPreemption";
  public static final String MSG_NOT_HELPFUL = "Preemption is not helpful for scheduling";
  public static final String MSG_NO_VICTIMS = "No preemption victims found for incoming pod";
  public static final String MSG_POLICY_NEVER = "not eligible due to preemptionPolicy=Never.";
  public static final String MSG_TERMINATING =
      "not eligible due to a terminating pod on the nominated node.";

  /** Try at least this share of the nodes and at least this many, as upstream. */
  static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;

  static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

  private final Handle handle;
  private final Evictor evictor;
  private final RandomGenerator random;

  public DefaultPreemption(Handle handle, Evictor evictor, RandomGenerator random) {
    this.handle = handle;
    this.evictor = evictor;
    this.random = random;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PostFilterResult postFilter(
      CycleState state, PodInfo pod, Map<String, Status> nodeStatuses) {
    String notEligible = notEligibleReason(pod, nodeStatuses);
    if (notEligible != null) {
      return PostFilterResult.of(Status.unschedulable("preemption: " + notEligible));
    }
    List<NodeInfo> all = handle.snapshot().list();
    List<NodeInfo> potential = new ArrayList<>();
    for (NodeInfo n : all) {
      Status s = nodeStatuses.get(n.name());
      if (s != null && s.code() == Code.UNSCHEDULABLE) {
        potential.add(n);
      }
    }
    Diagnosis dryRun = new Diagnosis();
    List<Candidate> candidates = new ArrayList<>();
    int wanted = numCandidates(potential.size());
    int offset = potential.isEmpty() ? 0 : random.nextInt(potential.size());
    for (int i = 0; i < potential.size() && candidates.size() < wanted; i++) {
      NodeInfo node = potential.get((offset + i) % potential.size());
      Object result = selectVictims(state.copy(), pod, node.copy());
      if (result instanceof Candidate c) {
        candidates.add(c);
      } else {
        dryRun.nodeToStatus().put(node.name(), (Status) result);
      }
    }
    if (candidates.isEmpty()) {
      for (NodeInfo n : all) {
        dryRun.nodeToStatus().putIfAbsent(n.name(), Status.unresolvable(MSG_NOT_HELPFUL));
      }
      String msg = "preemption: " + FitError.message(all.size(), dryRun);
      return new PostFilterResult(Status.unschedulable(msg), "");
    }
    Candidate best = CandidateSelector.pick(candidates);
    for (PodInfo victim : best.victims()) {
      try {
        evictor.evict(victim.pod(), pod.pod());
      } catch (Exception e) {
        return PostFilterResult.of(
            Status.error(
                "preemption: evicting "
                    + victim.key()
                    + " from "
                    + best.nodeName()
                    + ": "
                    + e.getMessage()));
      }
    }
    // Lower-priority pods nominated to this node lose their claim: the room is now ours.
    for (PodInfo p : handle.nominator().nominatedPodsForNode(best.nodeName())) {
      if (p.priority() < pod.priority()) {
        handle.nominator().deleteNominatedPodIfExists(p);
      }
    }
    return new PostFilterResult(Status.success(), best.nodeName());
  }

  private String notEligibleReason(PodInfo pod, Map<String, Status> nodeStatuses) {
    if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
      return MSG_POLICY_NEVER;
    }
    var status = pod.pod().getStatus();
    String nominated = status == null ? null : status.getNominatedNodeName();
    if (nominated == null || nominated.isEmpty()) {
      return null;
    }
    Status onNominated = nodeStatuses.get(nominated);
    if (onNominated != null && onNominated.code() == Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
      return null;
    }
    NodeInfo node = handle.snapshot().get(nominated);
    if (node != null) {
      for (PodInfo p : node.pods()) {
        if (p.isTerminating() && p.priority() < pod.priority()) {
          return MSG_TERMINATING;
        }
      }
    }
    return null;
  }

  static int numCandidates(int numNodes) {
    int n = numNodes * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
    n = Math.max(n, MIN_CANDIDATE_NODES_ABSOLUTE);
    return Math.min(n, numNodes);
  }

  /** Returns a Candidate, or the Status explaining why the node cannot become one. */
  private Object selectVictims(CycleState state, PodInfo pod, NodeInfo node) {
    List<PodInfo> potential = new ArrayList<>();
    for (PodInfo p : List.copyOf(node.pods())) {
      if (p.priority() < pod.priority()) {
        potential.add(p);
        node.removePod(p);
        Status s = handle.runPreFilterExtensionRemovePod(state, pod, p, node);
        if (!s.isSuccess()) {
          return s;
        }
      }
    }
    if (potential.isEmpty()) {
      return Status.unresolvable(MSG_NO_VICTIMS);
    }
    Status fits = handle.runFilterPluginsWithNominatedPods(state, pod, node);
    if (!fits.isSuccess()) {
      return fits;
    }
    // Give back as many victims as still lets the pod fit, most important first.
    potential.sort(CandidateSelector.MORE_IMPORTANT);
    List<PodInfo> victims = new ArrayList<>();
    for (PodInfo p : potential) {
      node.addPod(p);
      handle.runPreFilterExtensionAddPod(state, pod, p, node);
      if (!handle.runFilterPluginsWithNominatedPods(state, pod, node).isSuccess()) {
        node.removePod(p);
        handle.runPreFilterExtensionRemovePod(state, pod, p, node);
        victims.add(p);
      }
    }
    return new Candidate(node.name(), victims);
  }
}
