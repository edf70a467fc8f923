package io.flotilla.scheduler.runtime;

import io.flotilla.scheduler.framework.BindPlugin;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.Handle;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.Nominator;
import io.flotilla.scheduler.framework.Parallelizer;
import io.flotilla.scheduler.framework.Plugin;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PostFilterPlugin;
import io.flotilla.scheduler.framework.PostFilterResult;
import io.flotilla.scheduler.framework.PreBindPlugin;
import io.flotilla.scheduler.framework.PreFilterExtensions;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.PreScorePlugin;
import io.flotilla.scheduler.framework.QueueSortPlugin;
import io.flotilla.scheduler.framework.ReservePlugin;
import io.flotilla.scheduler.framework.ScoreExtensions;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Drives the plugins of one profile through the extension points, in profile order, and attributes
 * each non-success status to its plugin. Fans Filter-like and Score calls out over nodes with the
 * {@link Parallelizer}.
 *
 * <p>Threading: the run methods are called by the scheduling thread (binding: by the binding
 * executor); plugin calls inside {@link #scoreNodes} run on worker threads.
 */
public final class FrameworkRuntime implements Handle {
  private static final CycleState.Key<boolean[]> SKIP_FILTER = new CycleState.Key<>("skipFilter");
  private static final CycleState.Key<boolean[]> SKIP_SCORE = new CycleState.Key<>("skipScore");

  private final Parallelizer parallelizer;
  private final Clock clock;
  private final Nominator nominator;
  private final Supplier<NodeInfoLister> snapshot;
  private final List<Plugin> plugins = new ArrayList<>();
  private QueueSortPlugin queueSort;
  private final List<PreFilterPlugin> preFilters = new ArrayList<>();
  private final List<FilterPlugin> filters = new ArrayList<>();
  private final List<PostFilterPlugin> postFilters = new ArrayList<>();
  private final List<PreScorePlugin> preScores = new ArrayList<>();
  private final List<ScorePlugin> scores = new ArrayList<>();
  private final List<Integer> weights = new ArrayList<>();
  private final List<ReservePlugin> reserves = new ArrayList<>();
  private final List<PreBindPlugin> preBinds = new ArrayList<>();
  private final List<BindPlugin> binds = new ArrayList<>();
  private FilterPlugin[] filterArray;

  public FrameworkRuntime(
      List<PluginSpec> profile,
      Parallelizer parallelizer,
      Clock clock,
      Nominator nominator,
      Supplier<NodeInfoLister> snapshot) {
    this.parallelizer = parallelizer;
    this.clock = clock;
    this.nominator = nominator;
    this.snapshot = snapshot;
    for (PluginSpec spec : profile) {
      register(spec.factory().apply(this), spec.scoreWeight());
    }
    if (queueSort == null) {
      throw new IllegalArgumentException("a profile needs exactly one QueueSort plugin, got none");
    }
    if (binds.isEmpty()) {
      throw new IllegalArgumentException("a profile needs at least one Bind plugin, got none");
    }
    this.filterArray = filters.toArray(new FilterPlugin[0]);
  }

  private void register(Plugin p, int weight) {
    plugins.add(p);
    if (p instanceof QueueSortPlugin q) {
      if (queueSort != null) {
        throw new IllegalArgumentException(
            "a profile needs exactly one QueueSort plugin, got "
                + queueSort.name()
                + " and "
                + p.name());
      }
      queueSort = q;
    }
    if (p instanceof PreFilterPlugin x) {
      preFilters.add(x);
    }
    if (p instanceof FilterPlugin x) {
      filters.add(x);
    }
    if (p instanceof PostFilterPlugin x) {
      postFilters.add(x);
    }
    if (p instanceof PreScorePlugin x) {
      preScores.add(x);
    }
    if (p instanceof ScorePlugin x) {
      scores.add(x);
      weights.add(weight);
    }
    if (p instanceof ReservePlugin x) {
      reserves.add(x);
    }
    if (p instanceof PreBindPlugin x) {
      preBinds.add(x);
    }
    if (p instanceof BindPlugin x) {
      binds.add(x);
    }
  }

  public QueueSortPlugin queueSort() {
    return queueSort;
  }

  /** The events each plugin waits for (plugins without EnqueueExtensions are absent). */
  public Map<String, List<ClusterEvent>> eventsByPlugin() {
    Map<String, List<ClusterEvent>> m = new HashMap<>();
    for (Plugin p : plugins) {
      if (p instanceof EnqueueExtensions e) {
        m.put(p.name(), List.copyOf(e.eventsToRegister()));
      }
    }
    return m;
  }

  public List<Plugin> plugins() {
    return List.copyOf(plugins);
  }

  // ---- PreFilter / Filter ----

  /** Runs every PreFilter; the first rejection or error ends the run. */
  public Status runPreFilterPlugins(CycleState state, PodInfo pod) {
    NodeInfoLister nodes = snapshot.get();
    boolean[] skip = new boolean[filterArray.length];
    for (PreFilterPlugin p : preFilters) {
      Status s = p.preFilter(state, pod, nodes);
      if (s.isSkip()) {
        int i = filters.indexOf(p);
        if (i >= 0) {
          skip[i] = true;
        }
        continue;
      }
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    state.write(SKIP_FILTER, skip);
    return Status.success();
  }

  /** Runs the Filters in order; the first that rejects decides. */
  public Status runFilterPlugins(CycleState state, PodInfo pod, NodeInfo node) {
    boolean[] skip = state.read(SKIP_FILTER);
    for (int i = 0; i < filterArray.length; i++) {
      if (skip != null && skip[i]) {
        continue;
      }
      Status s = filterArray[i].filter(state, pod, node);
      if (!s.isSuccess()) {
        return s.withPlugin(filterArray[i].name());
      }
    }
    return Status.success();
  }

  @Override
  public Status runFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
    List<PodInfo> nominated = nominator.nominatedPodsForNode(node.name());
    if (!nominated.isEmpty()) {
      CycleState withNominated = null;
      NodeInfo nodeWithNominated = null;
      for (PodInfo p : nominated) {
        if (p.priority() >= pod.priority() && !p.key().equals(pod.key())) {
          if (withNominated == null) {
            withNominated = state.copy();
            nodeWithNominated = node.copy();
          }
          nodeWithNominated.addPod(p);
          Status s = runPreFilterExtensionAddPod(withNominated, pod, p, nodeWithNominated);
          if (!s.isSuccess()) {
            return s;
          }
        }
      }
      if (withNominated != null) {
        Status s = runFilterPlugins(withNominated, pod, nodeWithNominated);
        if (!s.isSuccess()) {
          return s;
        }
      }
    }
    return runFilterPlugins(state, pod, node);
  }

  @Override
  public Status runPreFilterExtensionAddPod(
      CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
    for (PreFilterPlugin p : preFilters) {
      PreFilterExtensions ext = p.preFilterExtensions();
      if (ext != null) {
        Status s = ext.addPod(state, podToSchedule, podToAdd, node);
        if (!s.isSuccess()) {
          return s.withPlugin(p.name());
        }
      }
    }
    return Status.success();
  }

  @Override
  public Status runPreFilterExtensionRemovePod(
      CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
    for (PreFilterPlugin p : preFilters) {
      PreFilterExtensions ext = p.preFilterExtensions();
      if (ext != null) {
        Status s = ext.removePod(state, podToSchedule, podToRemove, node);
        if (!s.isSuccess()) {
          return s.withPlugin(p.name());
        }
      }
    }
    return Status.success();
  }

  /** Runs PostFilters until one succeeds (nominates a node); returns the last result. */
  public PostFilterResult runPostFilterPlugins(
      CycleState state, PodInfo pod, Map<String, Status> nodeStatuses) {
    PostFilterResult last = PostFilterResult.of(Status.unschedulable());
    for (PostFilterPlugin p : postFilters) {
      PostFilterResult r = p.postFilter(state, pod, nodeStatuses);
      Status s = r.status().withPlugin(p.name());
      if (s.isSuccess()) {
        return r;
      }
      if (!s.isRejected()) {
        return new PostFilterResult(s, r.nominatedNodeName());
      }
      last = new PostFilterResult(s, r.nominatedNodeName());
    }
    return last;
  }

  // ---- PreScore / Score ----

  public Status runPreScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    boolean[] skip = new boolean[scores.size()];
    for (PreScorePlugin p : preScores) {
      Status s = p.preScore(state, pod, nodes);
      if (s.isSkip()) {
        int i = scores.indexOf(p);
        if (i >= 0) {
          skip[i] = true;
        }
        continue;
      }
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    state.write(SKIP_SCORE, skip);
    return Status.success();
  }

  /**
   * Scores every node with every (non-skipped) Score plugin, normalizes, applies weights and sums.
   * Returns totals aligned with {@code nodes}.
   */
  public long[] scoreNodes(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    boolean[] skip = state.read(SKIP_SCORE);
    int n = nodes.size();
    int active = 0;
    ScorePlugin[] plugins = new ScorePlugin[scores.size()];
    int[] weightOf = new int[scores.size()];
    for (int j = 0; j < scores.size(); j++) {
      if (skip == null || !skip[j]) {
        plugins[active] = scores.get(j);
        weightOf[active++] = weights.get(j);
      }
    }
    int k = active;
    long[][] raw = new long[k][n];
    // One parallel pass for all plugins: one hand-off to the workers per cycle, not per plugin.
    parallelizer.until(
        n,
        i -> {
          NodeInfo node = nodes.get(i);
          for (int j = 0; j < k; j++) {
            raw[j][i] = plugins[j].score(state, pod, node);
          }
        });
    long[] total = new long[n];
    for (int j = 0; j < k; j++) {
      ScorePlugin plugin = plugins[j];
      ScoreExtensions ext = plugin.scoreExtensions();
      if (ext != null) {
        Status s = ext.normalizeScore(state, pod, nodes, raw[j]);
        if (!s.isSuccess()) {
          throw new IllegalStateException(
              "plugin " + plugin.name() + " failed to normalize scores: " + s.message());
        }
      }
      for (int i = 0; i < n; i++) {
        long v = raw[j][i];
        if (v < NodeScores.MIN_NODE_SCORE || v > NodeScores.MAX_NODE_SCORE) {
          throw new IllegalStateException(
              "plugin "
                  + plugin.name()
                  + " returned score "
                  + v
                  + " for node "
                  + nodes.get(i).name()
                  + ", outside [0, 100]");
        }
        total[i] += v * weightOf[j];
      }
    }
    return total;
  }

  // ---- Reserve / Bind ----

  public Status runReservePluginsReserve(CycleState state, PodInfo pod, String nodeName) {
    for (ReservePlugin p : reserves) {
      Status s = p.reserve(state, pod, nodeName);
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.success();
  }

  /** Calls every Reserve plugin's unreserve, in reverse order. */
  public void runReservePluginsUnreserve(CycleState state, PodInfo pod, String nodeName) {
    for (int i = reserves.size() - 1; i >= 0; i--) {
      reserves.get(i).unreserve(state, pod, nodeName);
    }
  }

  /** Runs every PreBind plugin in order; the first failure ends the run. */
  public Status runPreBindPlugins(CycleState state, PodInfo pod, String nodeName) {
    for (PreBindPlugin p : preBinds) {
      Status s = p.preBind(state, pod, nodeName);
      if (!s.isSuccess() && !s.isSkip()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.success();
  }

  public Status runBindPlugins(CycleState state, PodInfo pod, String nodeName) {
    for (BindPlugin p : binds) {
      Status s = p.bind(state, pod, nodeName);
      if (s.isSkip()) {
        continue;
      }
      return s.withPlugin(p.name());
    }
    return Status.error("no bind plugin bound pod " + pod.key());
  }

  // ---- Handle ----

  @Override
  public NodeInfoLister snapshot() {
    return snapshot.get();
  }

  @Override
  public Nominator nominator() {
    return nominator;
  }

  @Override
  public Parallelizer parallelizer() {
    return parallelizer;
  }

  @Override
  public Clock clock() {
    return clock;
  }
}
