package io.flotilla.e2e;

import io.flotilla.node.runtime.cri.LocalContainerd;
import io.flotilla.node.runtime.cri.LocalImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link WorkloadE2ETest} on {@code flotilla server} plus {@code flotilla agent --runtime cri}
 * against a containerd of the test's own (under its temporary directory, with the pause and busybox
 * images built from Debian packages): real containers on the CNI bridge, two httpd replicas.
 */
@EnabledIf("containerdInstalled")
class CriWorkloadE2ETest extends WorkloadE2ETest {
  private FlotillaProcess server;
  private LocalContainerd containerd;
  private Process agent;

  static boolean containerdInstalled() {
    return LocalContainerd.installed();
  }

  @Override
  protected Path startCluster(Path dir) throws Exception {
    server = FlotillaProcess.start(dir.resolve("data"));
    // A socket path nobody serves, so that the test always starts a containerd of its own.
    containerd =
        LocalContainerd.connectOrStart(
            dir.resolve("no-such.sock"),
            dir.resolve("containerd"),
            List.of(LocalImages.PAUSE, LocalImages.BUSYBOX));
    agent =
        FlotillaProcess.startAgent(
            ProcessBuilder.Redirect.to(dir.resolve("agent.log").toFile()),
            "--runtime",
            "cri",
            "--containerd-socket",
            containerd.socket().toString(),
            "--cni-conf-dir",
            containerd.cni().confDir().toString(),
            "--node-name",
            nodeName(),
            "--data-dir",
            dir.resolve("agent").toString(),
            "--kubelet-port",
            "0",
            "--kubelet-address",
            "127.0.0.1",
            "--kubeconfig",
            server.kubeconfig().toString());
    return server.kubeconfig();
  }

  @Override
  protected void stopCluster() throws Exception {
    FlotillaProcess.stopAgent(agent);
    if (containerd != null) {
      containerd.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected String nodeName() {
    return "e2e-workload-cri";
  }

  @Override
  protected String busyboxImage() {
    return LocalImages.BUSYBOX;
  }

  @Override
  protected int httpdReplicas() {
    return 2;
  }
}
