package io.flotilla.e2e;

import java.nio.file.Path;

/**
 * {@link WorkloadE2ETest} on {@code flotilla server} plus {@code flotilla agent --runtime process}:
 * pods are host processes sharing the node's network, so one httpd replica.
 */
class ProcessWorkloadE2ETest extends WorkloadE2ETest {
  private FlotillaProcess server;
  private Process agent;

  @Override
  protected Path startCluster(Path dir) throws Exception {
    server = FlotillaProcess.start(dir.resolve("data"));
    agent =
        FlotillaProcess.startAgent(
            ProcessBuilder.Redirect.to(dir.resolve("agent.log").toFile()),
            "--runtime",
            "process",
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
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected String nodeName() {
    return "e2e-workload-process";
  }

  @Override
  protected String busyboxImage() {
    return "busybox";
  }

  @Override
  protected int httpdReplicas() {
    return 1;
  }
}
