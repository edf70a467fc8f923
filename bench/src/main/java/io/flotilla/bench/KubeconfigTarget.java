package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * An {@link ApiTarget} read from a kubeconfig's current context: the cluster's https server and CA,
 * and the user's client certificate and key, or bearer token. Certificates and keys may be given
 * inline ({@code *-data}, base64 PEM) or as files (relative to the kubeconfig's folder).
 */
final class KubeconfigTarget {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final char[] NO_PASSWORD = "bench".toCharArray();

  private KubeconfigTarget() {}

  /** Reads the file; an {@link IllegalArgumentException} says what is missing or wrong. */
  static ApiTarget load(Path file) throws IOException {
    JsonNode root = YAML.readTree(Files.readString(file));
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " is not a kubeconfig (no YAML mapping)");
    }
    String context = root.path("current-context").asText("");
    JsonNode ctx = named(root, "contexts", context, file).path("context");
    JsonNode cluster =
        named(root, "clusters", ctx.path("cluster").asText(""), file).path("cluster");
    JsonNode user = named(root, "users", ctx.path("user").asText(""), file).path("user");
    URI server = URI.create(cluster.path("server").asText(""));
    if (!"https".equals(server.getScheme())) {
      throw new IllegalArgumentException(
          "%s: the cluster's server must be an https URL, got '%s'".formatted(file, server));
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      List<X509Certificate> cas = certificates(pem(cluster, "certificate-authority", dir));
      String token = user.path("token").asText(null);
      String certPem = pem(user, "client-certificate", dir);
      String keyPem = pem(user, "client-key", dir);
      if (token == null && (certPem == null || keyPem == null)) {
        throw new IllegalArgumentException(
            file + ": the current user has neither a token nor a client certificate and key");
      }
      SSLContext tls = context(cas, certPem, keyPem);
      return new ApiTarget(
          URI.create(server.getScheme() + "://" + server.getAuthority()),
          tls,
          "%s (context %s of %s)".formatted(server, context, file),
          token == null ? null : "Bearer " + token);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "%s: unusable certificate or key: %s".formatted(file, e.getMessage()), e);
    }
  }

  private static JsonNode named(JsonNode root, String list, String name, Path file) {
    for (JsonNode entry : root.path(list)) {
      if (entry.path("name").asText().equals(name)) {
        return entry;
      }
    }
    throw new IllegalArgumentException(
        "%s: no entry named '%s' in %s (current-context is '%s')"
            .formatted(file, name, list, root.path("current-context").asText("")));
  }

  /** The PEM text of {@code <field>-data} (base64) or of the file {@code <field>}, or null. */
  private static String pem(JsonNode node, String field, Path dir) throws IOException {
    String data = node.path(field + "-data").asText(null);
    if (data != null) {
      return new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
    }
    String path = node.path(field).asText(null);
    return path == null ? null : Files.readString(dir.resolve(path));
  }

  private static SSLContext context(List<X509Certificate> cas, String certPem, String keyPem)
      throws GeneralSecurityException, IOException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (cas.isEmpty()) {
      tmf.init((KeyStore) null); // the JDK's CAs
    } else {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca" + i, cas.get(i));
      }
      tmf.init(trust);
    }
    KeyManagerFactory kmf = null;
    if (certPem != null && keyPem != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "client",
          privateKey(keyPem),
          NO_PASSWORD,
          certificates(certPem).toArray(Certificate[]::new));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ssl;
  }

  private static List<X509Certificate> certificates(String pem)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    if (pem == null) {
      return out;
    }
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          out.add(new JcaX509CertificateConverter().getCertificate(h));
        }
      }
    }
    return out;
  }

  private static PrivateKey privateKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return conv.getKeyPair(pair).getPrivate();
      }
      throw new IOException("the client key holds no PEM private key");
    }
  }
}
