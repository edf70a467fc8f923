package io.flotilla.apiserver.security;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
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
      return SslContextBuilder.forServer(pki.server().key(), pki.server().certificate())
          .sslProvider(SslProvider.JDK)
          .trustManager(pki.ca().certificate())
          .clientAuth(ClientAuth.OPTIONAL)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  ApplicationProtocolNames.HTTP_2,
                  ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for the apiserver: " + e.getMessage(), e);
    }
  }
}
