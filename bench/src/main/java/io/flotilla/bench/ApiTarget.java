package io.flotilla.bench;

import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * The API server a benchmark talks to.
 *
 * @param base its https URL, without a path
 * @param tls trusts its certificate and presents the client certificate that authenticates
 * @param description what it is, for the report ("in-process", or where it runs)
 */
record ApiTarget(URI base, SSLContext tls, String description) {}
