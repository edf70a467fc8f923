package io.flotilla.apiserver.http;

import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Reply;
import java.util.concurrent.CompletableFuture;

/** Serves a non-resource path such as {@code /openapi/v3}; must not block. */
@FunctionalInterface
public interface NonResourceHandler {
  CompletableFuture<Reply.Full> handle(ApiRequest request);
}
