package io.flotilla.apiserver.security;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The user a verified client certificate names, as Kubernetes reads it: the subject's common name
 * is the user name, each organization a group.
 *
 * @param user the user name
 * @param groups the groups, in certificate order
 */
public record X509Identity(String user, List<String> groups) {

  /** Reads the identity from a certificate the TLS layer has already verified against the CA. */
  public static X509Identity of(X509Certificate certificate) {
    String cn = null;
    List<String> orgs = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          orgs.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return cn == null || cn.isEmpty() ? null : new X509Identity(cn, List.copyOf(orgs));
  }
}
