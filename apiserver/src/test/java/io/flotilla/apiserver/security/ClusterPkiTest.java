package io.flotilla.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
  @TempDir Path dir;

  @Test
  void createsCaServerAndAdminCertificatesSignedByTheCa() throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(dir, List.of("10.96.0.1"), Clock.systemUTC());

    pki.server().certificate().verify(pki.ca().certificate().getPublicKey());
    pki.admin().certificate().verify(pki.ca().certificate().getPublicKey());
    assertThat(pki.ca().certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(pki.server().certificate().getSubjectAlternativeNames())
        .extracting(san -> String.valueOf(san.get(1)))
        .contains("localhost", "127.0.0.1", "10.96.0.1", "kubernetes.default.svc");
    assertThat(X509Identity.of(pki.admin().certificate()))
        .isEqualTo(new X509Identity("kubernetes-admin", List.of("system:masters")));
    assertThat(dir.resolve("pki/ca.key")).exists();
    pki.kubeletClient().certificate().verify(pki.ca().certificate().getPublicKey());
    assertThat(X509Identity.of(pki.kubeletClient().certificate()))
        .isEqualTo(new X509Identity("kube-apiserver-kubelet-client", List.of("system:masters")));
    assertThat(dir.resolve("pki/apiserver-kubelet-client.crt")).exists();
  }

  @Test
  void reusesTheSameCaAndCertificatesOnTheNextStart() {
    ClusterPki first = ClusterPki.loadOrCreate(dir, List.of(), Clock.systemUTC());
    ClusterPki second = ClusterPki.loadOrCreate(dir, List.of(), Clock.systemUTC());

    assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
    assertThat(second.server().certificate()).isEqualTo(first.server().certificate());
    assertThat(second.admin().certificate()).isEqualTo(first.admin().certificate());
    assertThat(second.kubeletClient().certificate()).isEqualTo(first.kubeletClient().certificate());
  }

  @Test
  void reissuesTheServingCertificateWhenANewNameMustBeCovered() {
    ClusterPki first = ClusterPki.loadOrCreate(dir, List.of(), Clock.systemUTC());
    ClusterPki second =
        ClusterPki.loadOrCreate(dir, List.of("flotilla.example"), Clock.systemUTC());

    assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
    assertThat(second.server().certificate()).isNotEqualTo(first.server().certificate());
  }

  @Test
  void reissuesLeafCertificatesThatAreAboutToExpire() {
    ClusterPki first = ClusterPki.loadOrCreate(dir, List.of(), Clock.systemUTC());
    Clock nextYear = Clock.fixed(Instant.now().plus(Duration.ofDays(360)), ZoneOffset.UTC);
    ClusterPki later = ClusterPki.loadOrCreate(dir, List.of(), nextYear);

    assertThat(later.ca().certificate()).isEqualTo(first.ca().certificate());
    assertThat(later.admin().certificate()).isNotEqualTo(first.admin().certificate());
  }

  @Test
  void writesAKubeconfigThatKubectlReads() throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(dir, List.of(), Clock.systemUTC());
    Path kubeconfig = dir.resolve("admin.kubeconfig");
    Kubeconfig.write(kubeconfig, "https://127.0.0.1:6443", pki, pki.admin(), "admin");

    Process p =
        new ProcessBuilder(
                "kubectl",
                "config",
                "view",
                "--kubeconfig",
                kubeconfig.toString(),
                "--raw",
                "-o",
                "jsonpath={.clusters[0].cluster.server} {.users[0].name}")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).isEqualTo("https://127.0.0.1:6443 admin");
    assertThat(Files.getPosixFilePermissions(kubeconfig).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }
}
