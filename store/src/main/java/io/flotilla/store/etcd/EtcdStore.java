package io.flotilla.store.etcd;

import static io.flotilla.store.etcd.EtcdConversions.bytes;
import static io.flotilla.store.etcd.EtcdConversions.keyValue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.flotilla.store.InvalidRequestException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Requests;
import io.flotilla.store.Store;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link Store} on an etcd v3 cluster, through jetcd. Each SPI call is one etcd request, so
 * revisions, compaction and leases are etcd's own.
 *
 * <p>An optional key prefix (jetcd's namespace) lets several stores share one etcd: keys are
 * written under it and reported without it.
 *
 * <p>Threading: thread-safe. Futures complete on jetcd's executor threads; watch listeners run on
 * jetcd's threads too, one call at a time per watch. One daemon thread reconnects broken watches.
 */
public final class EtcdStore implements Store {

  /** How long {@link #connect(List)} waits for a first answer. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final ByteSequence ANY_KEY = ByteSequence.from(new byte[] {0});

  private final Client client;
  private final KV kv;
  private final List<URI> endpoints;
  private final Duration timeout;
  private final ScheduledExecutorService reconnector;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private EtcdStore(Client client, List<URI> endpoints, Duration timeout) {
    this.client = client;
    this.kv = client.getKVClient();
    this.endpoints = endpoints;
    this.timeout = timeout;
    this.reconnector =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "etcd-watch-reconnect");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects to etcd at {@code endpoints} with no key prefix; see {@link #connect(List, String,
   * Duration)}.
   */
  public static EtcdStore connect(List<URI> endpoints) {
    return connect(endpoints, "", DEFAULT_CONNECT_TIMEOUT);
  }

  /**
   * Connects to etcd and checks that it answers.
   *
   * @param endpoints the client URLs of the members, {@code http://host:port}
   * @param keyPrefix written in front of every key, so that stores with different prefixes share
   *     one etcd without seeing each other's keys; "" for none
   * @param timeout how long to wait for etcd's first answer, and for the answer to each request:
   *     jetcd waits for a lost connection to come back, so without a limit a request to a stopped
   *     etcd would never complete. A request that times out fails with {@link
   *     StoreUnavailableException}; a write may still have been applied.
   * @throws InvalidRequestException when the endpoints are malformed
   * @throws StoreUnavailableException when no endpoint answers in time; the message names them
   */
  public static EtcdStore connect(List<URI> endpoints, String keyPrefix, Duration timeout) {
    checkEndpoints(endpoints);
    var builder = Client.builder().endpoints(endpoints).connectTimeout(timeout);
    if (keyPrefix != null && !keyPrefix.isEmpty()) {
      builder.namespace(bytes(keyPrefix));
    }
    EtcdStore store = new EtcdStore(builder.build(), List.copyOf(endpoints), timeout);
    try {
      store.currentRevision().get();
      return store;
    } catch (java.util.concurrent.ExecutionException e) {
      store.close();
      throw EtcdErrors.translate(e, endpoints, 0, 0);
    } catch (InterruptedException e) {
      store.close();
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while connecting to etcd", e);
    }
  }

  private static void checkEndpoints(List<URI> endpoints) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new InvalidRequestException("etcd endpoints must not be empty");
    }
    for (URI uri : endpoints) {
      if (uri == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getPort() <= 0) {
        throw new InvalidRequestException(
            "etcd endpoint %s is not a client URL of the form http://host:port".formatted(uri));
      }
    }
  }

  /** The endpoints this store talks to. */
  public List<URI> endpoints() {
    return endpoints;
  }

  @Override
  public CompletableFuture<RangeResult> range(RangeRequest r) {
    return call(
        () -> Requests.check(r),
        () -> kv.get(bytes(r.fromKey() != null ? r.fromKey() : r.key()), getOption(r)),
        resp ->
            new RangeResult(
                resp.getKvs().stream().map(EtcdConversions::keyValue).toList(),
                resp.isMore(),
                resp.getCount(),
                // etcd's header names the current revision; a past read was served at its own.
                r.revision() > 0 ? r.revision() : resp.getHeader().getRevision()),
        r == null ? 0 : r.revision(),
        0);
  }

  private static GetOption getOption(RangeRequest r) {
    GetOption.Builder option = GetOption.builder();
    if (r.prefix()) {
      // A continuation reads [fromKey, end of prefix); etcd's count then covers the same span.
      option.withRange(EtcdConversions.prefixEnd(r.key()));
    }
    if (r.limit() > 0) {
      option.withLimit(r.limit());
    }
    if (r.revision() > 0) {
      option.withRevision(r.revision());
    }
    if (r.countOnly()) {
      option.withCountOnly(true);
    }
    return option.build();
  }

  @Override
  public CompletableFuture<TxnResult> txn(Txn t) {
    return call(
        () -> Requests.check(t),
        () -> {
          ByteSequence key = bytes(t.key());
          io.etcd.jetcd.Txn txn = kv.txn();
          if (t.expectedModRevision() != Txn.ANY) {
            // An absent key has modRevision 0 in etcd's compare, so 0 means "create if absent".
            txn.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(t.expectedModRevision())));
          }
          return txn.Then(thenOp(key, t.op())).Else(Op.get(key, GetOption.DEFAULT)).commit();
        },
        resp -> txnResult(t, resp),
        0,
        t != null && t.op() instanceof Txn.Put put ? put.lease() : 0);
  }

  private static Op thenOp(ByteSequence key, Txn.Op op) {
    return switch (op) {
      case Txn.Put put -> {
        PutOption.Builder option = PutOption.builder().withPrevKV();
        if (put.lease() != 0) {
          option.withLeaseId(put.lease());
        }
        yield Op.put(key, ByteSequence.from(put.value()), option.build());
      }
      case Txn.Delete delete -> Op.delete(key, DeleteOption.builder().withPrevKV(true).build());
    };
  }

  private static TxnResult txnResult(Txn t, TxnResponse resp) {
    long revision = resp.getHeader().getRevision();
    if (!resp.isSucceeded()) {
      List<io.etcd.jetcd.KeyValue> current = resp.getGetResponses().getFirst().getKvs();
      return new TxnResult(
          false, revision, current.isEmpty() ? null : keyValue(current.getFirst()), null);
    }
    return switch (t.op()) {
      case Txn.Put put -> {
        PutResponse pr = resp.getPutResponses().getFirst();
        KeyValue prev = pr.hasPrevKv() ? keyValue(pr.getPrevKv()) : null;
        // etcd does not return the written key; it is fully determined by the previous one.
        KeyValue written =
            new KeyValue(
                t.key(),
                put.value(),
                prev == null ? revision : prev.createRevision(),
                revision,
                prev == null ? 1 : prev.version() + 1,
                put.lease());
        yield new TxnResult(true, revision, written, prev);
      }
      case Txn.Delete delete -> {
        DeleteResponse dr = resp.getDeleteResponses().getFirst();
        KeyValue prev = dr.getPrevKvs().isEmpty() ? null : keyValue(dr.getPrevKvs().getFirst());
        yield new TxnResult(true, revision, null, prev);
      }
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>A start revision of 0 has etcd's meaning: changes after the revision that is current when
   * etcd creates the watch, which happens after this method returns. A write issued right after the
   * call may therefore come before the watch and not be delivered; callers that need every change
   * after a known point pass that revision + 1, as a list-then-watch does.
   */
  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    Requests.check(request);
    if (listener == null) {
      throw new InvalidRequestException("watch listener must not be null");
    }
    if (closed.get()) {
      throw new StoreUnavailableException("the etcd store is closed");
    }
    EtcdWatch watch =
        new EtcdWatch(client.getWatchClient(), reconnector, request, listener, watches::remove);
    watches.add(watch);
    watch.start();
    return watch;
  }

  @Override
  public CompletableFuture<Long> currentRevision() {
    return call(
        () -> {},
        () -> kv.get(ANY_KEY, GetOption.builder().withCountOnly(true).build()),
        (GetResponse resp) -> resp.getHeader().getRevision(),
        0,
        0);
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return call(
        () -> {
          if (revision <= 0) {
            throw new InvalidRequestException(
                "compaction revision must be positive, got " + revision);
          }
        },
        () -> kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()),
        resp -> revision,
        revision,
        0);
  }

  @Override
  public CompletableFuture<Lease> grantLease(long ttlSeconds) {
    return call(
        () -> Requests.checkTtl(ttlSeconds),
        () -> client.getLeaseClient().grant(ttlSeconds),
        resp -> new Lease(resp.getID(), resp.getTTL()),
        0,
        0);
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    return call(
        () -> checkLeaseId(leaseId),
        () -> client.getLeaseClient().keepAliveOnce(leaseId),
        resp -> resp.getTTL(),
        0,
        leaseId);
  }

  @Override
  public CompletableFuture<Void> revokeLease(long leaseId) {
    return call(
        () -> checkLeaseId(leaseId),
        () -> client.getLeaseClient().revoke(leaseId),
        resp -> null,
        0,
        leaseId);
  }

  private static void checkLeaseId(long leaseId) {
    if (leaseId <= 0) {
      throw new InvalidRequestException("lease id must be positive, got " + leaseId);
    }
  }

  /** Ends every watch with {@link StoreUnavailableException}, then closes the client. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (EtcdWatch watch : List.copyOf(watches)) {
      watch.end(new StoreUnavailableException("the etcd store was closed; the watch has ended"));
    }
    reconnector.shutdownNow();
    client.close();
  }

  /**
   * Runs one request: checks the input first (a bad request fails without being sent), then maps
   * the response, or translates jetcd's failure into the SPI's exceptions.
   */
  private <R, T> CompletableFuture<T> call(
      Runnable check,
      Supplier<CompletableFuture<R>> send,
      Function<R, T> map,
      long revision,
      long leaseId) {
    try {
      check.run();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (closed.get()) {
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("the etcd store is closed"));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<R> sent;
    try {
      sent = send.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(EtcdErrors.translate(e, endpoints, revision, leaseId));
    }
    sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (resp, failure) -> {
              if (failure != null) {
                Throwable cause =
                    EtcdErrors.unwrap(failure) instanceof TimeoutException
                        ? new TimeoutException("no answer within " + timeout.toMillis() + " ms")
                        : failure;
                result.completeExceptionally(
                    EtcdErrors.translate(cause, endpoints, revision, leaseId));
                return;
              }
              try {
                result.complete(map.apply(resp));
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }
}
