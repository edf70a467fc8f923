package io.flotilla.node.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.ContainerUsage;
import io.flotilla.node.runtime.PodSandboxStatus;
import io.flotilla.node.runtime.Runtime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubelet's Summary API ({@code /stats/summary}, stats/v1alpha1) for one node: node CPU, memory,
 * file systems and process counts from the host, and per pod and container CPU and memory from the
 * runtime's {@link Runtime#containerStats()}. Pod identity comes from the runtime too (the sandbox
 * status carries the pod's name, namespace and uid, as kubelet's CRI stats provider reads them), so
 * the agent's pod records are not involved.
 *
 * <p>{@code usageNanoCores} needs two samples: {@link #sample()} runs every {@code period} (10 s,
 * cadvisor's housekeeping interval) on a thread of its own after {@link #start}, or when a test
 * calls it with a driven clock. Each sample builds the whole summary document; {@link
 * #summaryJson()} serves the latest.
 *
 * <p>Threading: {@link #sample()} is serialized (synchronized); {@link #summaryJson()}, {@link
 * #latestHost()} and {@link #pressure()} read a volatile snapshot from any thread.
 */
public final class SummaryProvider implements AutoCloseable {
  /** cadvisor's housekeeping interval. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(SummaryProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE_KEY = "";

  private final String nodeName;
  private final Clock clock;
  private final HostSource host;
  private final Runtime runtime;
  private final CpuRates rates = new CpuRates();
  private volatile Snapshot latest;
  private ScheduledExecutorService sampler;

  private record Snapshot(HostSample host, byte[] json) {}

  public SummaryProvider(String nodeName, Clock clock, HostSource host, Runtime runtime) {
    this.nodeName = nodeName;
    this.clock = clock;
    this.host = host;
    this.runtime = runtime;
  }

  /** Samples now and then every {@code period} on a daemon thread until {@link #close()}. */
  public synchronized SummaryProvider start(Duration period) {
    if (sampler == null) {
      sampler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("flotilla-stats-" + nodeName).factory());
      sampler.scheduleWithFixedDelay(
          this::sampleQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Reads the host and the runtime once and rebuilds the summary. */
  public synchronized void sample() {
    Instant now = clock.instant();
    HostSample h = host.sample();
    List<ContainerUsage> usage = runtime.containerStats();
    Set<String> seen = new HashSet<>();
    seen.add(NODE_KEY);

    ObjectNode root = JSON.createObjectNode();
    ObjectNode node = root.putObject("node");
    node.put("nodeName", nodeName);
    node.put("startTime", time(h.bootTime()));
    cpu(
        node.putObject("cpu"),
        now,
        h.cpuCoreNanoSeconds(),
        rates.update(NODE_KEY, h.cpuCoreNanoSeconds(), now));
    ObjectNode mem = node.putObject("memory");
    mem.put("time", time(now));
    mem.put("availableBytes", h.memoryAvailableBytes());
    mem.put("usageBytes", h.memoryUsageBytes());
    mem.put("workingSetBytes", h.memoryWorkingSetBytes());
    mem.put("rssBytes", h.memoryAnonBytes());
    fs(node.putObject("fs"), now, h.nodeFs());
    fs(node.putObject("runtime").putObject("imageFs"), now, h.imageFs());
    ObjectNode rlimit = node.putObject("rlimit");
    rlimit.put("time", time(now));
    rlimit.put("maxpid", h.maxPids());
    rlimit.put("curproc", h.processes());

    Map<String, List<ContainerUsage>> bySandbox = new LinkedHashMap<>();
    for (ContainerUsage u : usage) {
      bySandbox.computeIfAbsent(u.sandboxId(), k -> new java.util.ArrayList<>()).add(u);
    }
    ArrayNode pods = root.putArray("pods");
    bySandbox.forEach(
        (sandboxId, containers) -> {
          // One pod the runtime cannot describe (removed between the two calls, say) is left
          // out of this sample; the others still count.
          try {
            PodSandboxStatus sandbox = runtime.podSandboxStatus(sandboxId);
            if (sandbox != null) {
              ObjectNode pod = JSON.createObjectNode();
              pod(pod, sandbox, containers, now, seen);
              pods.add(pod);
            }
          } catch (RuntimeException e) {
            LOG.debug("stats: sandbox {} left out: {}", sandboxId, e.toString());
          }
        });
    rates.retain(seen);
    latest = new Snapshot(h, root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The latest summary document (sampling once first if none was taken yet). */
  public byte[] summaryJson() {
    Snapshot s = latest;
    if (s == null) {
      sample();
      s = latest;
    }
    return s.json();
  }

  /** The host figures of the latest sample, or null before the first. */
  public HostSample latestHost() {
    Snapshot s = latest;
    return s == null ? null : s.host();
  }

  /** Pressure conditions from the latest sample; all False before the first. */
  public List<NodePressure.Condition> pressure(NodePressure.Thresholds thresholds) {
    HostSample h = latestHost();
    if (h == null) {
      FsFigures unknown = new FsFigures(0, 0, 0);
      h =
          new HostSample(
              Instant.EPOCH, 0, Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, unknown, unknown, 0, 0);
    }
    return NodePressure.evaluate(h, thresholds);
  }

  @Override
  public synchronized void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }

  private void pod(
      ObjectNode pod,
      PodSandboxStatus sandbox,
      List<ContainerUsage> containers,
      Instant now,
      Set<String> seen) {
    ObjectNode ref = pod.putObject("podRef");
    ref.put("name", sandbox.name());
    ref.put("namespace", sandbox.namespace());
    ref.put("uid", sandbox.uid());
    pod.put("startTime", time(sandbox.createdAt()));
    Map<String, Instant> started = new java.util.HashMap<>();
    for (ContainerStatus c : runtime.listContainers(sandbox.id())) {
      if (c.startedAt() != null) {
        started.put(c.id(), c.startedAt());
      }
    }
    ArrayNode list = pod.putArray("containers");
    long cpu = 0;
    long nanoCores = 0;
    boolean allRates = true;
    long workingSet = 0;
    long rss = 0;
    for (ContainerUsage u : containers) {
      seen.add(u.containerId());
      OptionalLong rate = rates.update(u.containerId(), u.cpuCoreNanoSeconds(), now);
      ObjectNode c = list.addObject();
      c.put("name", u.name());
      c.put("startTime", time(started.getOrDefault(u.containerId(), sandbox.createdAt())));
      cpu(c.putObject("cpu"), now, u.cpuCoreNanoSeconds(), rate);
      memory(c.putObject("memory"), now, u.memoryWorkingSetBytes(), u.memoryRssBytes());
      cpu += u.cpuCoreNanoSeconds();
      workingSet += u.memoryWorkingSetBytes();
      rss += u.memoryRssBytes();
      allRates &= rate.isPresent();
      nanoCores += rate.orElse(0);
    }
    cpu(
        pod.putObject("cpu"),
        now,
        cpu,
        allRates ? OptionalLong.of(nanoCores) : OptionalLong.empty());
    memory(pod.putObject("memory"), now, workingSet, rss);
  }

  private static void cpu(ObjectNode cpu, Instant now, long coreNanos, OptionalLong nanoCores) {
    cpu.put("time", time(now));
    nanoCores.ifPresent(n -> cpu.put("usageNanoCores", n));
    cpu.put("usageCoreNanoSeconds", coreNanos);
  }

  private static void memory(ObjectNode mem, Instant now, long workingSet, long rss) {
    mem.put("time", time(now));
    mem.put("usageBytes", workingSet);
    mem.put("workingSetBytes", workingSet);
    mem.put("rssBytes", rss);
  }

  private static void fs(ObjectNode fs, Instant now, FsFigures f) {
    fs.put("time", time(now));
    fs.put("availableBytes", f.availableBytes());
    fs.put("capacityBytes", f.capacityBytes());
    fs.put("usedBytes", f.usedBytes());
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.warn("stats sample of node {} failed: {}", nodeName, e.toString());
    }
  }

  /** metav1.Time: RFC 3339, whole seconds. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
