package io.flotilla.apiserver.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificates: a CA made on first start, the apiserver's serving certificate, the
 * admin client certificate and the apiserver's client certificate for kubelets, all kept as PEM
 * files under {@code <data-dir>/pki}. Later starts reuse them; a leaf certificate that has expired,
 * or whose names no longer cover the serving addresses, is issued again from the same CA. Keys are
 * ECDSA P-256.
 *
 * <p>Not thread-safe: made once at start-up, then read-only.
 */
public final class ClusterPki {
  static final String ADMIN_USER = "kubernetes-admin";
  static final String ADMIN_GROUP = "system:masters";

  /** Upstream's name for the identity the apiserver presents to kubelets (kubeadm's too). */
  static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);

  private final Path dir;
  private final CertAndKey ca;
  private final CertAndKey server;
  private final CertAndKey admin;
  private final CertAndKey kubeletClient;

  /** A certificate with its private key. */
  public record CertAndKey(X509Certificate certificate, PrivateKey key) {}

  private ClusterPki(
      Path dir, CertAndKey ca, CertAndKey server, CertAndKey admin, CertAndKey kubeletClient) {
    this.dir = dir;
    this.ca = ca;
    this.server = server;
    this.admin = admin;
    this.kubeletClient = kubeletClient;
  }

  /**
   * Loads the PKI under {@code dataDir/pki}, creating whatever is missing or stale.
   *
   * @param serverNames DNS names and IP addresses the serving certificate must cover, besides
   *     localhost, 127.0.0.1, ::1 and this host's name
   */
  public static ClusterPki loadOrCreate(Path dataDir, List<String> serverNames, Clock clock) {
    Path dir = dataDir.resolve("pki");
    try {
      Files.createDirectories(dir);
      Instant now = clock.instant();
      CertAndKey ca = load(dir, "ca");
      if (ca == null || expired(ca, now)) {
        ca = issueCa(now);
        store(dir, "ca", ca);
      }
      Set<String> names =
          new LinkedHashSet<>(
              List.of(
                  "localhost",
                  "127.0.0.1",
                  "::1",
                  "kubernetes",
                  "kubernetes.default",
                  "kubernetes.default.svc",
                  "kubernetes.default.svc.cluster.local"));
      names.add(hostName());
      names.addAll(serverNames);
      CertAndKey server = load(dir, "apiserver");
      if (server == null
          || expired(server, now)
          || !signedBy(server, ca)
          || !covers(server, names)) {
        server = issueLeaf(ca, "kube-apiserver", List.of(), names, true, now);
        store(dir, "apiserver", server);
      }
      CertAndKey admin = load(dir, "admin");
      if (admin == null || expired(admin, now) || !signedBy(admin, ca)) {
        admin = issueLeaf(ca, ADMIN_USER, List.of(ADMIN_GROUP), Set.of(), false, now);
        store(dir, "admin", admin);
      }
      CertAndKey kubelet = load(dir, "apiserver-kubelet-client");
      if (kubelet == null || expired(kubelet, now) || !signedBy(kubelet, ca)) {
        kubelet = issueLeaf(ca, KUBELET_CLIENT_USER, List.of(ADMIN_GROUP), Set.of(), false, now);
        store(dir, "apiserver-kubelet-client", kubelet);
      }
      return new ClusterPki(dir, ca, server, admin, kubelet);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or write the cluster certificates in " + dir + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create the cluster certificates: " + e.getMessage(), e);
    }
  }

  public CertAndKey ca() {
    return ca;
  }

  public CertAndKey server() {
    return server;
  }

  public CertAndKey admin() {
    return admin;
  }

  /**
   * The client certificate the apiserver presents to each node's kubelet API (logs, exec, attach,
   * port-forward, stats): CN kube-apiserver-kubelet-client, O system:masters, as upstream.
   */
  public CertAndKey kubeletClient() {
    return kubeletClient;
  }

  public Path dir() {
    return dir;
  }

  /** Issues a client certificate for a user and groups (CN = user, O = each group). */
  public CertAndKey issueClient(String user, List<String> groups, Clock clock) {
    try {
      return issueLeaf(ca, user, groups, Set.of(), false, clock.instant());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a client certificate: " + e.getMessage(), e);
    }
  }

  /** PEM text of a certificate. */
  public static String pem(Object certOrKey) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(
          certOrKey instanceof PrivateKey k
              ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
              : certOrKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static boolean expired(CertAndKey c, Instant now) {
    // Renew a month early so that a certificate never lapses while the server runs.
    return c.certificate().getNotAfter().toInstant().isBefore(now.plus(Duration.ofDays(30)));
  }

  private static boolean signedBy(CertAndKey leaf, CertAndKey ca) {
    try {
      leaf.certificate().verify(ca.certificate().getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean covers(CertAndKey c, Set<String> names) throws GeneralSecurityException {
    Set<String> have = new LinkedHashSet<>();
    var sans = c.certificate().getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        have.add(normalize(String.valueOf(san.get(1))));
      }
    }
    return names.stream().map(ClusterPki::normalize).allMatch(have::contains);
  }

  private static String normalize(String name) {
    if (isIp(name)) {
      try {
        return InetAddress.getByName(name).getHostAddress();
      } catch (IOException e) {
        return name;
      }
    }
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isIp(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    // RSA, as kubeadm does: every client reads it (fabric8 reads EC keys only with BouncyCastle).
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048, new SecureRandom());
    return gen.generateKeyPair();
  }

  private static CertAndKey issueCa(Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair kp = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "flotilla-ca").build();
    X509v3CertificateBuilder b = builder(name, name, kp, now, CA_VALIDITY);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
    return new CertAndKey(sign(b, kp.getPrivate()), kp.getPrivate());
  }

  private static CertAndKey issueLeaf(
      CertAndKey ca, String cn, List<String> orgs, Set<String> names, boolean server, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair kp = newKeyPair();
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : orgs) {
      nb.addRDN(BCStyle.O, o);
    }
    nb.addRDN(BCStyle.CN, cn);
    X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder b = builder(issuer, nb.build(), kp, now, LEAF_VALIDITY);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
    b.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        ext.createAuthorityKeyIdentifier(ca.certificate()));
    if (!names.isEmpty()) {
      List<GeneralName> gns = new ArrayList<>();
      for (String n : names) {
        gns.add(
            isIp(n)
                ? new GeneralName(GeneralName.iPAddress, n)
                : new GeneralName(GeneralName.dNSName, n));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(gns.toArray(GeneralName[]::new)));
    }
    return new CertAndKey(sign(b, ca.key()), kp.getPrivate());
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair kp, Instant now, Duration validity) {
    BigInteger serial = new BigInteger(127, new SecureRandom());
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(validity)),
        subject,
        kp.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static void store(Path dir, String name, CertAndKey c) throws IOException {
    writeAtomically(dir.resolve(name + ".crt"), pem(c.certificate()), false);
    writeAtomically(dir.resolve(name + ".key"), pem(c.key()), true);
  }

  /** Writes a file through a temporary sibling and a rename, so a crash leaves old or new. */
  static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system: the directory's permissions have to do.
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static CertAndKey load(Path dir, String name)
      throws IOException, GeneralSecurityException {
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    if (!Files.exists(crt) || !Files.exists(key)) {
      return null;
    }
    X509Certificate cert;
    try (PEMParser p = new PEMParser(new StringReader(Files.readString(crt)))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) {
        throw new IOException(crt + " holds no PEM certificate");
      }
      cert = new JcaX509CertificateConverter().getCertificate(h);
    }
    PrivateKey pk;
    try (PEMParser p = new PEMParser(new StringReader(Files.readString(key)))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        pk = conv.getPrivateKey(info);
      } else if (o instanceof PEMKeyPair pair) {
        pk = conv.getKeyPair(pair).getPrivate();
      } else {
        throw new IOException(key + " holds no PEM private key");
      }
    }
    return new CertAndKey(cert, pk);
  }
}
