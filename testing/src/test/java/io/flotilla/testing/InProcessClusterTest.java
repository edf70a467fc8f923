package io.flotilla.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InProcessClusterTest {
  @Test
  void aClientCanWriteAndReadAndTheDirectoryGoesOnClose() throws Exception {
    Path dir;
    try (InProcessCluster c = InProcessCluster.start()) {
      dir = c.dir();
      KubernetesClient k = c.client();
      assertThat(k.namespaces().list().getItems())
          .extracting(Namespace::getMetadata)
          .extracting(m -> m.getName())
          .contains("default", "kube-system");
      k.configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm")
                  .endMetadata()
                  .addToData("k", "v")
                  .build())
          .create();
      assertThat(k.configMaps().withName("cm").get().getData()).containsEntry("k", "v");
      Path kubeconfig = c.writeKubeconfig(dir.resolve("kubeconfig"));
      assertThat(Files.readString(kubeconfig)).contains(c.url());
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void theApiserverCallsKubeletsWithAClientCertificateOfTheClusterCa() throws Exception {
    try (InProcessCluster c = InProcessCluster.start()) {
      c.pki().kubeletClient().certificate().verify(c.pki().ca().certificate().getPublicKey());
      assertThat(c.pki().kubeletClient().certificate().getSubjectX500Principal().getName())
          .contains("CN=kube-apiserver-kubelet-client");
      // With a kubelet client, metrics.k8s.io is served (empty without nodes).
      assertThat(c.client().top().nodes().metrics().getItems()).isEmpty();
    }
  }
}
