package io.flotilla.node.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The kubelet server's TLS: a self-signed serving certificate (as kubelet makes one when it is
 * given none: CN {@code <host>@<epoch>}, valid a year, kept in {@code DIR/kubelet.crt} and {@code
 * kubelet.key} when there is a directory) and client certificates checked against the cluster CA.
 *
 * <p>The TLS layer asks for a client certificate but lets the handshake finish without one or with
 * an untrusted one; {@link #verify} then decides, so that the client gets kubelet's 401 rather than
 * a failed handshake. Threading: immutable after creation.
 */
public final class KubeletTls {
  private static final Duration VALIDITY = Duration.ofDays(365);

  private final X509Certificate serving;
  private final PrivateKey key;
  private final List<X509Certificate> clientCas;
  private final X509TrustManager clientTrust;

  private KubeletTls(X509Certificate serving, PrivateKey key, List<X509Certificate> clientCas) {
    this.serving = serving;
    this.key = key;
    this.clientCas = List.copyOf(clientCas);
    this.clientTrust = trustManager(clientCas);
  }

  /**
   * Loads the serving certificate from {@code dir} (null: keep it in memory only), making a new one
   * when it is missing, expired or does not cover {@code names}.
   *
   * @param clientCas the CAs client certificates must chain to (the cluster CA); none: every
   *     request is refused with 401
   * @param names host names and IPs the serving certificate covers besides localhost and 127.0.0.1
   */
  public static KubeletTls create(
      Path dir, List<String> names, List<X509Certificate> clientCas, Clock clock) {
    Instant now = clock.instant();
    Set<String> sans = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    sans.addAll(names);
    try {
      if (dir != null) {
        Path crt = dir.resolve("kubelet.crt");
        Path keyFile = dir.resolve("kubelet.key");
        if (Files.exists(crt) && Files.exists(keyFile)) {
          X509Certificate c = parseCertificates(Files.readString(crt)).getFirst();
          PrivateKey k = parseKey(Files.readString(keyFile));
          if (c.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(1)))
              && covers(c, sans)) {
            return new KubeletTls(c, k, clientCas);
          }
        }
        KubeletTls t = selfSigned(sans, clientCas, now);
        Files.createDirectories(dir);
        // The key is readable by its owner only, written before it holds anything.
        Files.deleteIfExists(keyFile);
        Files.createFile(
            keyFile,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
            keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(t.key, null)));
        Files.writeString(crt, pem(t.serving));
        return t;
      }
      return selfSigned(sans, clientCas, now);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or write the kubelet serving certificate in " + dir + ": " + e.getMessage(),
          e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create the kubelet serving certificate: " + e.getMessage(), e);
    }
  }

  private static KubeletTls selfSigned(
      Set<String> sans, List<X509Certificate> clientCas, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X500Name subject = new X500Name("CN=" + hostName() + "@" + now.getEpochSecond());
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(127, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(VALIDITY)),
            subject,
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    List<GeneralName> gns = new ArrayList<>();
    for (String n : sans) {
      gns.add(
          n.matches("[0-9.]+") || n.contains(":")
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
    }
    b.addExtension(
        Extension.subjectAlternativeName, false, new GeneralNames(gns.toArray(GeneralName[]::new)));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    return new KubeletTls(cert, kp.getPrivate(), clientCas);
  }

  /**
   * The cluster CA of a client configuration (a kubeconfig's {@code certificate-authority-data} or
   * {@code certificate-authority}); empty when it names none (a plain-HTTP cluster).
   */
  public static List<X509Certificate> clusterCas(io.fabric8.kubernetes.client.Config config) {
    try {
      if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
        return parseCertificates(config.getCaCertData());
      }
      if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
        return parseCertificates(Files.readString(Path.of(config.getCaCertFile())));
      }
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the cluster CA " + config.getCaCertFile() + ": " + e.getMessage(), e);
    }
  }

  /** The Netty server context: this certificate, client certificates requested (see class doc). */
  SslContext serverContext() {
    try {
      return SslContextBuilder.forServer(key, serving)
          .clientAuth(ClientAuth.OPTIONAL)
          .trustManager(new RecordingTrustManager(clientCas))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the kubelet server's TLS", e);
    }
  }

  /** The serving certificate (clients of tests trust it). */
  public X509Certificate servingCertificate() {
    return serving;
  }

  /** Whether {@code chain} (the client's, leaf first) chains to a client CA and is valid now. */
  boolean verify(java.security.cert.Certificate[] chain) {
    if (chain == null || chain.length == 0 || clientCas.isEmpty()) {
      return false;
    }
    X509Certificate[] x = new X509Certificate[chain.length];
    for (int i = 0; i < chain.length; i++) {
      if (!(chain[i] instanceof X509Certificate c)) {
        return false;
      }
      x[i] = c;
    }
    try {
      clientTrust.checkClientTrusted(x, x[0].getPublicKey().getAlgorithm());
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }

  /**
   * Parses the PEM certificates (or base64 of PEM, as a kubeconfig's {@code
   * certificate-authority-data}) in {@code text}.
   */
  public static List<X509Certificate> parseCertificates(String text) {
    String pem = text.contains("-----BEGIN") ? text : decodeBase64(text);
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> all =
          cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
      List<X509Certificate> out = new ArrayList<>();
      for (var c : all) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no PEM certificate found");
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static String decodeBase64(String text) {
    try {
      return new String(Base64.getMimeDecoder().decode(text.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("neither PEM nor base64 of PEM", e);
    }
  }

  private static PrivateKey parseKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return conv.getPrivateKey(kp.getPrivateKeyInfo());
      }
      if (o instanceof PrivateKeyInfo pki) {
        return conv.getPrivateKey(pki);
      }
      throw new IOException("no private key in the PEM text");
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  private static boolean covers(X509Certificate c, Set<String> names) {
    try {
      Set<String> have = new LinkedHashSet<>();
      if (c.getSubjectAlternativeNames() != null) {
        for (List<?> n : c.getSubjectAlternativeNames()) {
          have.add(String.valueOf(n.get(1)));
        }
      }
      return have.containsAll(names);
    } catch (CertificateException e) {
      return false;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static X509TrustManager trustManager(List<X509Certificate> cas) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : cas) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(ks);
      for (var tm : f.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load the client CA: " + e.getMessage(), e);
    }
  }

  /**
   * Lets every client certificate through the handshake (the request handler checks it, see the
   * class doc) and names the client CAs so clients pick the right certificate.
   */
  private static final class RecordingTrustManager implements X509TrustManager {
    private final X509Certificate[] issuers;

    RecordingTrustManager(List<X509Certificate> cas) {
      this.issuers = cas.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the kubelet server does not check server certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return issuers.clone();
    }
  }
}
