package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leases: expiry deletes the attached keys with watch events, keep-alive postpones it, revoke does
 * it at once. TTLs are the shortest a store accepts (etcd raises anything below its minimum, so the
 * cases use the TTL the grant reports rather than the one asked for).
 */
abstract class StoreContractLeaseCases extends StoreContractCases {
  private static final long TTL_SECONDS = 1;

  StoreContractLeaseCases(StoreContractTest contract) {
    super(contract);
  }

  private Lease grant() throws Exception {
    Lease lease = resultOf(store().grantLease(TTL_SECONDS));
    assertThat(lease.id()).as("a lease id").isNotZero();
    assertThat(lease.ttlSeconds()).isGreaterThanOrEqualTo(TTL_SECONDS);
    return lease;
  }

  @Test
  void aKeyWithALeaseDisappearsAfterItsTtlWithADeleteEvent() throws Exception {
    Lease lease = grant();
    KeyValue kv = txn(Txn.create("/leased/node-1", bytes("alive"), lease.id())).kv();
    put("/leased/unleased", "stays");
    assertThat(kv.lease()).isEqualTo(lease.id());
    RecordingListener watcher = watch(WatchRequest.key("/leased/node-1", kv.modRevision() + 1));

    await("the leased key to expire")
        .atMost(Duration.ofSeconds(lease.ttlSeconds() + 15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/leased/node-1") == null);

    WatchEvent deleted = watcher.awaitEvents(1).getFirst();
    assertThat(deleted.type()).isEqualTo(WatchEvent.Type.DELETE);
    assertThat(deleted.prevKv()).isEqualTo(kv);
    assertThat(get("/leased/unleased").valueAsString()).isEqualTo("stays");
    assertThat(failure(store().keepAlive(lease.id())))
        .as("keep-alive of an expired lease")
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void keepAliveKeepsTheKeyBeyondItsTtl() throws Exception {
    Lease lease = grant();
    txn(Txn.create("/leased/kept", bytes("alive"), lease.id()));

    // Renew several times a TTL while checking the key stays for longer than the TTL.
    await("the key to stay while kept alive")
        .during(Duration.ofMillis(lease.ttlSeconds() * 1000 + 1500))
        .atMost(Duration.ofSeconds(lease.ttlSeconds() + 10))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> resultOf(store().keepAlive(lease.id())) > 0 && get("/leased/kept") != null);

    await("the key to expire once keep-alives stop")
        .atMost(Duration.ofSeconds(lease.ttlSeconds() + 15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/leased/kept") == null);
  }

  @Test
  void revokingALeaseDeletesItsKeysAtOnceWithDeleteEvents() throws Exception {
    Lease lease = resultOf(store().grantLease(60));
    put("/leased/a", "before the lease");
    txn(new Txn("/leased/a", Txn.ANY, new Txn.Put(bytes("a"), lease.id())));
    txn(Txn.create("/leased/b", bytes("b"), lease.id()));
    put("/leased/c", "no lease");
    long before = currentRevision();
    RecordingListener watcher = watch(WatchRequest.prefix("/leased/", before + 1));

    resultOf(store().revokeLease(lease.id()));

    assertThat(get("/leased/a")).isNull();
    assertThat(get("/leased/b")).isNull();
    assertThat(get("/leased/c").valueAsString()).isEqualTo("no lease");
    // etcd deletes a revoked lease's keys in one transaction (one revision, two events at it);
    // a store may also spend one revision per key. Either way the deletes are writes.
    long after = currentRevision();
    assertThat(after).as("revision after the revoke").isBetween(before + 1, before + 2);
    List<WatchEvent> events = watcher.awaitEvents(2);
    assertThat(events).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
    assertThat(events)
        .extracting(WatchEvent::revision)
        .allSatisfy(rev -> assertThat(rev).isBetween(before + 1, after));
    assertThat(keysOf(events)).containsExactlyInAnyOrder("/leased/a", "/leased/b");
  }

  @Test
  void keepAliveAndRevokeOfARevokedLeaseFailWithLeaseNotFound() throws Exception {
    Lease lease = resultOf(store().grantLease(60));
    assertThat(resultOf(store().keepAlive(lease.id()))).isGreaterThanOrEqualTo(60);
    resultOf(store().revokeLease(lease.id()));

    assertThat(failure(store().keepAlive(lease.id()))).isInstanceOf(LeaseNotFoundException.class);
    assertThat(failure(store().revokeLease(lease.id()))).isInstanceOf(LeaseNotFoundException.class);
    assertThat(failure(store().txn(Txn.create("/late", bytes("v"), lease.id()))))
        .as("a put with a revoked lease")
        .isInstanceOf(LeaseNotFoundException.class);
    assertThat(get("/late")).isNull();
  }
}
