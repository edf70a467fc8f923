package io.flotilla.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.controllers.runtime.Ownership;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ControllerRevisions for DaemonSets and StatefulSets, as upstream's {@code controller/history}: a
 * revision holds the pod template as {@code {"spec":{"template":{...,"$patch":"replace"}}}}, is
 * named {@code <owner>-<hash>} and labelled {@code controller-revision-hash}; the hash is FNV-32a
 * of that data (and the collision count) in the safe alphabet upstream encodes it in. Stateless.
 */
public final class Revisions {
  public static final String HASH_LABEL = "controller-revision-hash";
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Revisions() {}

  /** The revision data for {@code template}. */
  public static Map<String, Object> data(PodTemplateSpec template) {
    ObjectNode t = CANONICAL.valueToTree(Serialization.jsonMapper().valueToTree(template));
    t.put("$patch", "replace");
    ObjectNode spec = CANONICAL.createObjectNode();
    spec.set("template", t);
    ObjectNode root = CANONICAL.createObjectNode();
    root.set("spec", spec);
    return CANONICAL.convertValue(root, Map.class);
  }

  /** The hash of {@code data} with {@code collisionCount}, as {@code ComputeHash}. */
  public static String hash(Map<String, Object> data, Integer collisionCount) {
    int h = 0x811c9dc5;
    byte[] bytes;
    try {
      JsonNode tree = CANONICAL.valueToTree(data);
      bytes = CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    if (collisionCount != null) {
      for (int i = 0; i < 4; i++) {
        h ^= (collisionCount >>> (8 * i)) & 0xff;
        h *= 0x01000193;
      }
    }
    String digits = Integer.toUnsignedString(h);
    StringBuilder out = new StringBuilder();
    for (char c : digits.toCharArray()) {
      out.append(SAFE.charAt(c % SAFE.length()));
    }
    return out.toString();
  }

  /** Owned revisions, oldest revision first. */
  public static List<ControllerRevision> sorted(List<ControllerRevision> revisions) {
    return revisions.stream()
        .sorted(
            Comparator.comparingLong(ControllerRevision::getRevision)
                .thenComparing(r -> r.getMetadata().getName()))
        .toList();
  }

  /**
   * Returns the revision for {@code data} among {@code owned}, creating it (revision = max + 1) or
   * raising an older equal one to the newest revision number, as {@code constructHistory}.
   */
  public static ControllerRevision ensure(
      io.fabric8.kubernetes.client.KubernetesClient client,
      HasMetadata owner,
      String ownerApiVersion,
      String ownerKind,
      Map<String, String> labels,
      Map<String, Object> data,
      Integer collisionCount,
      List<ControllerRevision> owned) {
    String hash = hash(data, collisionCount);
    String name = owner.getMetadata().getName() + "-" + hash;
    long max = owned.stream().mapToLong(ControllerRevision::getRevision).max().orElse(0);
    for (ControllerRevision r : owned) {
      if (r.getMetadata().getName().equals(name)) {
        if (r.getRevision() == max) {
          return r;
        }
        ControllerRevision bumped = new ControllerRevisionBuilder(r).withRevision(max + 1).build();
        return client.apps().controllerRevisions().resource(bumped).update();
      }
    }
    Map<String, String> l = new java.util.HashMap<>(labels == null ? Map.of() : labels);
    l.put(HASH_LABEL, hash);
    ControllerRevision rev =
        new ControllerRevisionBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(owner.getMetadata().getNamespace())
            .withLabels(l)
            .withOwnerReferences(Ownership.controllerRef(owner, ownerApiVersion, ownerKind))
            .endMetadata()
            .withData(data)
            .withRevision(max + 1)
            .build();
    try {
      return client.apps().controllerRevisions().resource(rev).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      ControllerRevision existing =
          client
              .apps()
              .controllerRevisions()
              .inNamespace(owner.getMetadata().getNamespace())
              .withName(name)
              .get();
      if (existing != null
          && Objects.equals(
              CANONICAL.valueToTree(existing.getData()), CANONICAL.valueToTree(data))) {
        return existing;
      }
      throw new IllegalStateException(
          "ControllerRevision " + name + " exists with other data (hash collision); retrying");
    }
  }
}
