package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl get svc} shows allocated cluster IPs and node ports. */
@EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
class ServiceKubectlTest {
  @TempDir Path home;

  @Test
  void kubectlGetSvcShowsClusterIpsAndNodePorts() throws Exception {
    try (TestCluster c = new TestCluster()) {
      KubectlFixture kubectl = new KubectlFixture(home, c.url());
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
      KubectlFixture.Result r = kubectl.run("get", "svc");
      assertThat(r.exit()).as(r.err()).isZero();
      String out = r.out();
      assertThat(out).contains("CLUSTER-IP").contains("PORT(S)");
      assertThat(out)
          .containsPattern("kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s+<none>\\s+443/TCP");
      assertThat(out)
          .containsPattern("web\\s+NodePort\\s+10\\.96\\.0\\.80\\s+<none>\\s+80:30080/TCP");
    }
  }
}
