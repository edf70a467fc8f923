package io.flotilla.store.etcd;

import static io.flotilla.store.etcd.EtcdStoreTest.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.store.Txn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdProcessTest {

  @Test
  void startsAnEmptyServerAtRevisionOneAndKeepsItsDataAcrossARestart() {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      try (EtcdStore store = EtcdStore.connect(etcd.endpoints())) {
        assertThat(store.currentRevision().join()).isEqualTo(1);
        store.txn(Txn.put("/kept", v("yes"))).join();
      }

      etcd.restart();

      try (EtcdStore store = EtcdStore.connect(etcd.endpoints())) {
        assertThat(store.get("/kept").join().valueAsString()).isEqualTo("yes");
        assertThat(store.currentRevision().join()).isEqualTo(2);
      }
    }
  }

  @Test
  void deletesItsDirectoryOnClose() {
    Path dir;
    try (EtcdProcess etcd = EtcdProcess.start()) {
      dir = etcd.directory();
      assertThat(dir.resolve("data")).isDirectory();
      assertThat(etcd.isRunning()).isTrue();
    }
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void listensOnLoopbackOnly() throws IOException {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      int port = etcd.clientUri().getPort();
      assertThat(etcd.clientUri().getHost()).isEqualTo("127.0.0.1");
      assertThat(canConnect(InetAddress.getLoopbackAddress(), port)).isTrue();
      for (InetAddress address : nonLoopbackAddresses()) {
        assertThat(canConnect(address, port)).as("reachable on %s", address).isFalse();
      }
    }
  }

  @Test
  void saysToInstallEtcdServerWhenTheBinaryIsMissing() {
    assertThatThrownBy(() -> EtcdProcess.start(Path.of("/nonexistent/etcd")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/etcd")
        .hasMessageContaining("apt-get install -y etcd-server");
  }

  private static boolean canConnect(InetAddress address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), (int) Duration.ofSeconds(1).toMillis());
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .toList();
  }
}
