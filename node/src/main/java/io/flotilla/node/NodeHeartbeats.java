package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.node.stats.NodePressure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's nodes alive in the API: each node's Lease in kube-node-lease renewed every
 * {@link AgentOptions#leaseRenewInterval()}, and its conditions (Ready, MemoryPressure,
 * DiskPressure, PIDPressure) patched when the API shows them other than the agent reports them,
 * else every {@link AgentOptions#statusReportInterval()}. A node for which {@link
 * AgentOptions#heartbeatPaused()} holds (seen through a Node informer) gets neither until it stops
 * holding.
 *
 * <p>Threading: ticks are scheduled on the agent's timer thread, spread over the renew interval so
 * that ten thousand nodes do not renew at once; each tick's writes run on the node writer pool. A
 * node's state is touched by one tick at a time (ticks of one node never overlap: the next is
 * scheduled when the previous finished).
 */
final class NodeHeartbeats implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeats.class);

  private final KubernetesClient client;
  private final AgentOptions opts;
  private final ScheduledExecutorService timers;
  private final ExecutorService writers;
  private final Map<String, Beat> beats;
  private final Function<String, List<NodePressure.Condition>> pressure;
  private SharedIndexInformer<Node> informer;
  private volatile boolean closed;

  /** One node's heartbeat state. */
  static final class Beat {
    final String name;
    final String uid;
    volatile Lease lease;
    volatile boolean paused;

    /** The API shows Ready other than True (the lifecycle controller set Unknown, say). */
    volatile boolean readyDrifted;

    volatile Instant lastStatusReport;
    volatile Instant readySince;
    volatile long renewals;

    /** The pressure conditions last reported, and when each last changed status. */
    volatile List<NodePressure.Condition> pressure = NodeConditions.NO_PRESSURE;

    final Map<String, Instant> pressureSince = new java.util.concurrent.ConcurrentHashMap<>();

    Beat(String name, String uid, Instant now) {
      this.name = name;
      this.uid = uid;
      this.lastStatusReport = now;
      this.readySince = now;
      for (NodePressure.Condition c : NodeConditions.NO_PRESSURE) {
        pressureSince.put(c.type(), now);
      }
    }
  }

  NodeHeartbeats(
      KubernetesClient client,
      List<Node> nodes,
      AgentOptions opts,
      ScheduledExecutorService timers,
      ExecutorService writers,
      Function<String, List<NodePressure.Condition>> pressure) {
    this.client = client;
    this.pressure = pressure;
    this.opts = opts;
    this.timers = timers;
    this.writers = writers;
    Instant now = opts.clock().instant();
    Map<String, Beat> m = new java.util.HashMap<>();
    for (Node n : nodes) {
      m.put(
          n.getMetadata().getName(),
          new Beat(n.getMetadata().getName(), n.getMetadata().getUid(), now));
    }
    this.beats = Map.copyOf(m);
  }

  /** Creates (or adopts) every Lease, then starts the informer and the ticks. */
  void start() {
    List<java.util.concurrent.Future<?>> creates = new ArrayList<>();
    for (Beat b : beats.values()) {
      creates.add(writers.submit(() -> b.lease = createLease(b)));
    }
    NodeRegistration.awaitAll(creates, "creating node Leases");
    informer =
        client
            .nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node n) {
                    observe(n);
                  }

                  @Override
                  public void onUpdate(Node old, Node n) {
                    observe(n);
                  }

                  @Override
                  public void onDelete(Node n, boolean unknown) {}
                },
                0);
    long period = opts.leaseRenewInterval().toNanos();
    int i = 0;
    int count = beats.size();
    for (Beat b : beats.values()) {
      long offset = period * i++ / Math.max(1, count);
      schedule(b, offset);
    }
  }

  Beat beat(String node) {
    return beats.get(node);
  }

  private void schedule(Beat b, long delayNanos) {
    if (closed) {
      return;
    }
    timers.schedule(() -> writers.execute(() -> tick(b)), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void observe(Node n) {
    Beat b = beats.get(n.getMetadata().getName());
    if (b == null) {
      return;
    }
    boolean wasPaused = b.paused;
    b.paused = opts.heartbeatPaused().test(n);
    boolean ready = false;
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      for (NodeCondition c : n.getStatus().getConditions()) {
        if (c.getType().equals("Ready") && c.getStatus().equals("True")) {
          ready = true;
        }
      }
    }
    b.readyDrifted = !ready;
    if (wasPaused && !b.paused) {
      LOG.info("node {}: heartbeats resume", b.name);
    } else if (!wasPaused && b.paused) {
      LOG.info("node {}: heartbeats stopped by annotation", b.name);
    }
  }

  private void tick(Beat b) {
    try {
      if (!closed && !b.paused) {
        renew(b);
        Instant now = opts.clock().instant();
        boolean due = !now.isBefore(b.lastStatusReport.plus(opts.statusReportInterval()));
        // As kubelet: a pressure condition that changed is reported at once.
        boolean pressureChanged = measurePressure(b, now);
        if (b.readyDrifted || due || pressureChanged) {
          if (b.readyDrifted) {
            b.readySince = now;
          }
          reportStatus(b, now);
          b.lastStatusReport = now;
          b.readyDrifted = false;
        }
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("node {}: heartbeat failed: {}", b.name, e.toString());
      }
    } finally {
      schedule(b, opts.leaseRenewInterval().toNanos());
    }
  }

  /** Reads the node's pressure; records transition times; true when a status changed. */
  private boolean measurePressure(Beat b, Instant now) {
    List<NodePressure.Condition> current = pressure.apply(b.name);
    if (current == null || current.isEmpty()) {
      current = NodeConditions.NO_PRESSURE;
    }
    boolean changed = false;
    for (NodePressure.Condition c : current) {
      boolean same =
          b.pressure.stream()
              .anyMatch(p -> p.type().equals(c.type()) && p.status().equals(c.status()));
      if (!same) {
        b.pressureSince.put(c.type(), now);
        changed = true;
        LOG.info("node {}: {} is now {} ({})", b.name, c.type(), c.status(), c.reason());
      }
    }
    b.pressure = current;
    return changed;
  }

  private void renew(Beat b) {
    Lease current = b.lease;
    Lease next =
        new LeaseBuilder(current)
            .editSpec()
            .withRenewTime(opts.clock().instant().atZone(ZoneOffset.UTC))
            .withHolderIdentity(b.name)
            .endSpec()
            .build();
    try {
      b.lease =
          client
              .resources(Lease.class)
              .inNamespace(AgentOptions.LEASE_NAMESPACE)
              .resource(next)
              .update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        b.lease =
            client
                .resources(Lease.class)
                .inNamespace(AgentOptions.LEASE_NAMESPACE)
                .withName(b.name)
                .get();
        renew(b);
        return;
      }
      if (e.getCode() == 404) {
        b.lease = createLease(b);
        return;
      }
      throw e;
    }
    b.renewals++;
  }

  private Lease createLease(Beat b) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(b.name)
            .withNamespace(AgentOptions.LEASE_NAMESPACE)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(b.name)
                    .withUid(b.uid)
                    .build())
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(b.name)
            .withLeaseDurationSeconds((int) opts.leaseDuration().toSeconds())
            .withRenewTime(opts.clock().instant().atZone(ZoneOffset.UTC))
            .endSpec()
            .build();
    var leases = client.resources(Lease.class).inNamespace(AgentOptions.LEASE_NAMESPACE);
    try {
      return leases.resource(lease).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return leases.withName(b.name).get();
    }
  }

  private void reportStatus(Beat b, Instant now) {
    String patch = NodeConditions.patch(now, b.readySince, b.pressure, b.pressureSince);
    client
        .nodes()
        .withName(b.name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
  }

  @Override
  public void close() {
    closed = true;
    if (informer != null) {
      informer.close();
    }
  }
}
