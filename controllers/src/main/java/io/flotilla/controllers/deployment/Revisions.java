package io.flotilla.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revision bookkeeping as upstream's deployment util: the {@code pod-template-hash}, template
 * equality that ignores it, and the revision annotations a Deployment copies onto its ReplicaSets.
 * Stateless.
 */
final class Revisions {
  static final String HASH_LABEL = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  static final int MAX_HISTORY_CHARS = 2000;
  private static final Set<String> NOT_COPIED =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          REVISION,
          REVISION_HISTORY,
          DESIRED_REPLICAS,
          MAX_REPLICAS,
          "deprecated.deployment.rollback.to");
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

  private Revisions() {}

  /**
   * The {@code pod-template-hash}: FNV-1a (32 bit) of the template and the collision count, written
   * with upstream's {@code rand.SafeEncodeString} alphabet (no vowels, so no words).
   */
  static String hash(PodTemplateSpec template, Integer collisionCount) {
    int h = 0x811c9dc5;
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsString(JSON.valueToTree(template)).getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialize a pod template", e);
    }
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    if (collisionCount != null) {
      for (int i = 0; i < 4; i++) {
        h ^= (collisionCount >>> (8 * i)) & 0xff;
        h *= 0x01000193;
      }
    }
    String digits = Long.toString(Integer.toUnsignedLong(h));
    StringBuilder out = new StringBuilder();
    for (char c : digits.toCharArray()) {
      out.append(SAFE.charAt(c % SAFE.length()));
    }
    return out.toString();
  }

  /** Whether two templates are equal once the {@code pod-template-hash} label is ignored. */
  static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    return withoutHash(a).equals(withoutHash(b));
  }

  private static JsonNode withoutHash(PodTemplateSpec t) {
    JsonNode n = JSON.valueToTree(t);
    if (n.path("metadata").path("labels") instanceof ObjectNode labels) {
      labels.remove(HASH_LABEL);
      if (labels.isEmpty()) {
        ((ObjectNode) n.get("metadata")).remove("labels");
      }
    }
    return n;
  }

  static long revision(ReplicaSet rs) {
    return parse(annotations(rs).get(REVISION));
  }

  static long parse(String revision) {
    if (revision == null || revision.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(revision);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static long maxRevision(List<ReplicaSet> rss) {
    return rss.stream().mapToLong(Revisions::revision).max().orElse(0);
  }

  static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  /**
   * Upstream's SetNewReplicaSetAnnotations on {@code ann} (the new ReplicaSet's annotations, a
   * mutable copy): copy the Deployment's annotations, raise the revision, keep the revision it
   * replaces in the history (a rollback), and on creation set the replica annotations.
   */
  static boolean setNewReplicaSetAnnotations(
      Deployment d, Map<String, String> ann, String newRevision, boolean exists, int maxSurge) {
    boolean changed = false;
    for (var e : annotations(d).entrySet()) {
      if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(ann.get(e.getKey()))) {
        ann.put(e.getKey(), e.getValue());
        changed = true;
      }
    }
    String oldRevision = ann.get(REVISION);
    long oldInt = parse(oldRevision);
    long newInt = parse(newRevision);
    if (oldInt < newInt) {
      ann.put(REVISION, newRevision);
      changed = true;
      if (oldRevision != null) {
        String history = ann.getOrDefault(REVISION_HISTORY, "");
        if (history.isEmpty()) {
          ann.put(REVISION_HISTORY, oldRevision);
        } else {
          List<String> old = new ArrayList<>(Arrays.asList(history.split(",")));
          int total = history.length() + oldRevision.length() + 1;
          while (total > MAX_HISTORY_CHARS && !old.isEmpty()) {
            total -= old.remove(0).length() + 1;
          }
          old.add(oldRevision);
          ann.put(REVISION_HISTORY, String.join(",", old));
        }
      }
    }
    if (!exists) {
      int replicas = Rolling.replicas(d);
      changed |= setReplicasAnnotations(ann, replicas, replicas + maxSurge);
    }
    return changed;
  }

  /** Sets the desired- and max-replicas annotations; true if they changed. */
  static boolean setReplicasAnnotations(Map<String, String> ann, int desired, int max) {
    boolean changed = !String.valueOf(desired).equals(ann.get(DESIRED_REPLICAS));
    changed |= !String.valueOf(max).equals(ann.get(MAX_REPLICAS));
    ann.put(DESIRED_REPLICAS, String.valueOf(desired));
    ann.put(MAX_REPLICAS, String.valueOf(max));
    return changed;
  }

  static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    Map<String, String> a = annotations(rs);
    return !String.valueOf(desired).equals(a.get(DESIRED_REPLICAS))
        || !String.valueOf(max).equals(a.get(MAX_REPLICAS));
  }

  static Integer annotatedInt(ReplicaSet rs, String key) {
    String v = annotations(rs).get(key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Map<String, String> mutableAnnotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return new HashMap<>(annotations(o));
  }
}
