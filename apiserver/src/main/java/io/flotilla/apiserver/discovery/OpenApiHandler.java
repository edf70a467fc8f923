package io.flotilla.apiserver.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.api.openapi.OpenApiV3;
import io.flotilla.apiserver.http.NonResourceHandler;
import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.StatusException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serves {@code /openapi/v3} (the index of group-version documents with their hashes) and {@code
 * /openapi/v3/<api|apis/group>/<version>} (one document), generated from the kind registry.
 *
 * <p>Documents are built on first request and cached with the list of resources they were built
 * from; a change in that list (a CRD added or removed) builds the document again. Thread-safe.
 */
public final class OpenApiHandler implements NonResourceHandler {
  private static final String PREFIX = "/openapi/v3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Cached(List<ResourceType> from, byte[] body, String hash) {}

  private final Supplier<KindRegistry> registry;
  private final Map<String, Cached> documents = new ConcurrentHashMap<>();

  public OpenApiHandler(Supplier<KindRegistry> registry) {
    this.registry = registry;
  }

  /** The path this handler is mounted at. */
  public static String path() {
    return PREFIX;
  }

  @Override
  public CompletableFuture<Reply.Full> handle(ApiRequest request) {
    String path = request.path();
    List<ResourceType> all = registry.get().all();
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      Map<String, String> hashes = new TreeMap<>();
      for (String doc : documentPaths(all)) {
        hashes.put(doc, document(doc, all).hash());
      }
      return ok(write(OpenApiV3.root(hashes)));
    }
    String doc = path.substring(PREFIX.length() + 1);
    if (!documentPaths(all).contains(doc)) {
      throw StatusException.notFoundPath();
    }
    return ok(document(doc, all).body());
  }

  private static List<String> documentPaths(List<ResourceType> all) {
    return all.stream()
        .map(rt -> OpenApiV3.documentPath(rt.group(), rt.version()))
        .distinct()
        .toList();
  }

  private Cached document(String doc, List<ResourceType> all) {
    List<ResourceType> from =
        all.stream()
            .filter(rt -> OpenApiV3.documentPath(rt.group(), rt.version()).equals(doc))
            .toList();
    Cached cached = documents.get(doc);
    if (cached != null && cached.from().equals(from)) {
      return cached;
    }
    ResourceType first = from.getFirst();
    byte[] body = write(OpenApiV3.document(first.group(), first.version(), from));
    Cached fresh = new Cached(from, body, sha256(body));
    documents.put(doc, fresh);
    return fresh;
  }

  private static CompletableFuture<Reply.Full> ok(byte[] body) {
    return CompletableFuture.completedFuture(
        new Reply.Full(200, body, "application/json", Map.of()));
  }

  private static byte[] write(Object tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(body))
          .toUpperCase(java.util.Locale.ROOT)
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
