package io.flotilla.apiserver.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/** Writes kubeconfig files that kubectl and the fabric8 client read. */
public final class Kubeconfig {
  private Kubeconfig() {}

  /**
   * Writes a kubeconfig for one cluster, one user authenticated by a client certificate, and one
   * context named {@code flotilla}, which is current. The file is readable by its owner only.
   */
  public static void write(
      Path file, String serverUrl, ClusterPki pki, ClusterPki.CertAndKey client, String user)
      throws IOException {
    String text =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: flotilla
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: flotilla
          context:
            cluster: flotilla
            user: %s
            namespace: default
        current-context: flotilla
        preferences: {}
        """
            .formatted(
                serverUrl,
                b64(ClusterPki.pem(pki.ca().certificate())),
                user,
                b64(ClusterPki.pem(client.certificate())),
                b64(ClusterPki.pem(client.key())),
                user);
    ClusterPki.writeAtomically(file, text, true);
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
