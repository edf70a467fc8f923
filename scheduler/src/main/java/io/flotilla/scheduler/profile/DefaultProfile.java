package io.flotilla.scheduler.profile;

import io.flotilla.scheduler.framework.LabelSelectorMatcher;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.plugins.defaultbinder.Binder;
import io.flotilla.scheduler.plugins.defaultbinder.DefaultBinder;
import io.flotilla.scheduler.plugins.defaultpreemption.DefaultPreemption;
import io.flotilla.scheduler.plugins.defaultpreemption.Evictor;
import io.flotilla.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.flotilla.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.flotilla.scheduler.plugins.nodename.NodeName;
import io.flotilla.scheduler.plugins.nodeports.NodePorts;
import io.flotilla.scheduler.plugins.noderesourcesbalancedallocation.NodeResourcesBalancedAllocation;
import io.flotilla.scheduler.plugins.noderesourcesfit.NodeResourcesFit;
import io.flotilla.scheduler.plugins.noderesourcesfit.ScoringStrategy;
import io.flotilla.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.flotilla.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.flotilla.scheduler.plugins.prioritysort.PrioritySort;
import io.flotilla.scheduler.plugins.tainttoleration.TaintToleration;
import io.flotilla.scheduler.plugins.volumebinding.VolumeBinding;
import io.flotilla.scheduler.plugins.volumebinding.Volumes;
import io.flotilla.scheduler.runtime.PluginSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The default-scheduler profile: the one place where plugins and their order are decided. The
 * runtime calls each extension point's plugins in this order, and the first Filter that rejects a
 * node ends that node's check, so cheap and decisive checks come first.
 */
public final class DefaultProfile {
  public static final String SCHEDULER_NAME = "default-scheduler";

  private DefaultProfile() {}

  /** What the profile needs from outside: the API-facing SPIs and the tunables. */
  public record Options(
      Binder binder,
      Evictor evictor,
      RandomGenerator random,
      ScoringStrategy scoringStrategy,
      Function<PodInfo, LabelSelectorMatcher> spreadDefaultSelector,
      Volumes volumes,
      Duration volumeBindTimeout) {
    /** Without storage objects ({@link Volumes#NONE}): pods with claims stay unschedulable. */
    public static Options of(Binder binder, Evictor evictor, RandomGenerator random) {
      return new Options(
          binder,
          evictor,
          random,
          ScoringStrategy.LEAST_ALLOCATED,
          PodTopologySpread::ownerSelector,
          Volumes.NONE,
          VolumeBinding.DEFAULT_BIND_TIMEOUT);
    }

    public Options withVolumes(Volumes v, Duration bindTimeout) {
      return new Options(
          binder, evictor, random, scoringStrategy, spreadDefaultSelector, v, bindTimeout);
    }
  }

  public static List<PluginSpec> plugins(Options o) {
    return List.of(
        // The queue order: priority, then age. Exactly one QueueSort per profile.
        PluginSpec.of(h -> new PrioritySort()),
        // Cordoned nodes and pods pinned to a node: one field compare each, and their
        // rejections are unresolvable, so they go before anything that counts.
        PluginSpec.of(h -> new NodeUnschedulable()),
        PluginSpec.of(h -> new NodeName()),
        // Taints next: also cheap, also unresolvable; scores PreferNoSchedule (weight 3, the
        // strongest default weight: a tainted node should lose to an equal untainted one).
        PluginSpec.scored(h -> new TaintToleration(), 3),
        // Label matching against the node; preferred terms weigh 2.
        PluginSpec.scored(h -> new NodeAffinity(), 2),
        // Host ports, then resources: cheap per node but their failures are what preemption
        // can fix, so they come after the unresolvable checks.
        PluginSpec.of(h -> new NodePorts()),
        PluginSpec.scored(h -> new NodeResourcesFit(o.scoringStrategy()), 1),
        // Claims and their volumes' node affinity, where upstream has it (after the resource
        // checks, before the pod-to-pod rules); its PreBind waits for provisioned volumes.
        PluginSpec.of(h -> new VolumeBinding(o.volumes(), o.volumeBindTimeout())),
        // Pod-to-pod rules need per-cycle counts over the whole cluster (PreFilter), so they
        // run last among the filters, on the nodes everything else accepted.
        PluginSpec.scored(h -> new PodTopologySpread(h, o.spreadDefaultSelector()), 2),
        PluginSpec.scored(h -> new InterPodAffinity(h), 2),
        // Scoring only: keeps cpu and memory use in proportion.
        PluginSpec.scored(h -> new NodeResourcesBalancedAllocation(), 1),
        // PostFilter: only when no node fits.
        PluginSpec.of(h -> new DefaultPreemption(h, o.evictor(), o.random())),
        // Bind: the last step, off the scheduling thread.
        PluginSpec.of(h -> new DefaultBinder(o.binder())));
  }
}
