package io.flotilla.apiserver.security;

import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLException;

/** Netty TLS contexts for the apiserver. */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * The apiserver's context: serves its certificate, asks for (but does not require) a client
   * certificate signed by the cluster CA, and offers HTTP/2 then HTTP/1.1 by ALPN. Requests without
   * a client certificate reach the authenticator, which refuses them with 401.
   */
  public static SslContext server(ClusterPki pki) {
    try {
      return io.flotilla.apiserver.ApiServer.tlsContext(
          pki.server().key(),
          new java.security.cert.X509Certificate[] {pki.server().certificate()},
          pki.ca().certificate());
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for the apiserver: " + e.getMessage(), e);
    }
  }
}
