package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every built-in kind against upstream's OpenAPI document (test data only, never shipped):
 * the group/version/kind exists, and scope, verbs and subresources agree with upstream's paths.
 */
class ReferenceSchemaTest {

  private static final String FILE = "kubernetes-1.33-openapi-v2.json";
  private static final Map<String, String> ACTION_TO_VERB =
      Map.of(
          "get", "get",
          "list", "list",
          "watch", "watch",
          "watchlist", "watch",
          "post", "create",
          "put", "update",
          "patch", "patch",
          "delete", "delete",
          "deletecollection", "deletecollection");

  private static JsonNode reference;
  private static Set<String> gvks;

  @BeforeAll
  static void load() throws IOException {
    Path file = locate();
    assumeTrue(file != null, "reference schema " + FILE + " not found");
    reference = new ObjectMapper().readTree(file.toFile());
    gvks = new HashSet<>();
    reference
        .path("definitions")
        .forEach(
            def ->
                def.path("x-kubernetes-group-version-kind")
                    .forEach(
                        g ->
                            gvks.add(
                                g.path("group").asText()
                                    + "/"
                                    + g.path("version").asText()
                                    + "/"
                                    + g.path("kind").asText())));
  }

  /** The file lives in shared/reference beside the checkout; a system property may name it. */
  private static Path locate() {
    String property = System.getProperty("flotilla.reference.openapi");
    if (property != null) {
      return Path.of(property);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/reference").resolve(FILE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  static Stream<ResourceType> kinds() {
    return BuiltInKinds.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void kindExistsUpstreamWithTheSameGroupVersionKind(ResourceType t) {
    assertThat(gvks).contains(t.group() + "/" + t.version() + "/" + t.kind());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void scopeVerbsAndSubresourcesMatchUpstreamPaths(ResourceType t) {
    String base = t.group().isEmpty() ? "/api/v1" : "/apis/" + t.group() + "/" + t.version();
    Pattern pattern =
        Pattern.compile(
            Pattern.quote(base)
                + "(/watch)?(/namespaces/\\{namespace\\})?/"
                + Pattern.quote(t.plural())
                + "(/\\{name\\})?(?:/(\\w+))?");
    boolean namespaced = false;
    Set<String> verbs = new TreeSet<>();
    Set<String> subresources = new TreeSet<>();
    for (var entry : reference.path("paths").properties()) {
      Matcher m = pattern.matcher(entry.getKey());
      if (!m.matches()) {
        continue;
      }
      namespaced |= m.group(2) != null;
      if (m.group(4) != null) {
        subresources.add(m.group(4));
        continue;
      }
      entry
          .getValue()
          .properties()
          .forEach(
              op -> {
                String action = op.getValue().path("x-kubernetes-action").asText("");
                if (ACTION_TO_VERB.containsKey(action)) {
                  verbs.add(ACTION_TO_VERB.get(action));
                }
              });
    }

    assertThat(namespaced).as("namespaced").isEqualTo(t.namespaced());
    assertThat(new TreeSet<>(t.verbs())).as("verbs").isEqualTo(verbs);
    assertThat(subresources).as("subresources").containsAll(t.subresources());
  }
}
