package io.flotilla.bench;

import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * The API server a benchmark talks to.
 *
 * @param base its https URL, without a path
 * @param tls trusts its certificate and presents the client certificate that authenticates
 * @param description what it is, for the report ("in-process", or where it runs)
 * @param authorization the Authorization header every request carries (a bearer token), or null
 *     when the client certificate authenticates
 */
record ApiTarget(URI base, SSLContext tls, String description, String authorization) {}
