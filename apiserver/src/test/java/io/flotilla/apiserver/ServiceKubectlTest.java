package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl get svc} shows allocated cluster IPs and node ports. */
@EnabledIf("io.flotilla.apiserver.KubectlTest#kubectlInstalled")
class ServiceKubectlTest {
  @TempDir Path home;

  @Test
  void kubectlGetSvcShowsClusterIpsAndNodePorts() throws Exception {
    try (TestCluster c = new TestCluster()) {
      Path kubeconfig = home.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: f
            cluster:
              server: %s
          contexts:
          - name: f
            context: {cluster: f, user: me, namespace: default}
          current-context: f
          users:
          - name: me
            user: {}
          """
              .formatted(c.url()));
      assertThat(
              c.send(
                      "POST",
                      ServiceAllocationTest.SERVICES,
                      ServiceAllocationTest.service(
                          "web",
                          "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.80\","
                              + "\"ports\":[{\"port\":80,\"nodePort\":30080}]}"))
                  .statusCode())
          .isEqualTo(201);
      ProcessBuilder pb =
          new ProcessBuilder(
              KubectlTest.KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(), "get", "svc");
      pb.environment().put("HOME", home.toString());
      pb.environment().remove("KUBECONFIG");
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("CLUSTER-IP").contains("PORT(S)");
      assertThat(out)
          .containsPattern("kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s+<none>\\s+443/TCP");
      assertThat(out)
          .containsPattern("web\\s+NodePort\\s+10\\.96\\.0\\.80\\s+<none>\\s+80:30080/TCP");
    }
  }
}
