package io.flotilla.apiserver;

import io.netty.handler.codec.http.HttpHeaders;
import java.security.cert.X509Certificate;

/**
 * Establishes who sent a request, from the client certificate chain and the headers (bearer
 * tokens). Called on the event loop for every request: must not block.
 */
public interface Authenticator {
  /**
   * Returns the user, or null when the request carries no (valid) credentials; with TLS on, null is
   * answered with 401.
   *
   * @param peerChain the verified client certificate chain, empty without a client certificate
   */
  UserInfo authenticate(X509Certificate[] peerChain, HttpHeaders headers);
}
