package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Upstream's defaults for a pod spec, used for pods and every pod template. */
final class PodDefaults {
  private PodDefaults() {}

  private static final String[] CONTAINER_LISTS = {
    "containers", "initContainers", "ephemeralContainers"
  };
  private static final String[] PROBES = {"livenessProbe", "readinessProbe", "startupProbe"};
  private static final String[] MODE_SOURCES = {"configMap", "secret", "downwardAPI", "projected"};

  /** A Pod: its spec's defaults plus the pod-only ones (requests copied from limits). */
  static void pod(ObjectNode pod) {
    ObjectNode spec = Json.objectOrCreate(pod, "spec");
    spec(spec);
    for (String list : new String[] {"containers", "initContainers"}) {
      for (ObjectNode c : Json.objects(spec, list)) {
        requestsFromLimits(c);
      }
    }
    defaultTolerationSeconds(spec);
    if (spec.path("hostNetwork").asBoolean(false)) {
      // On the host network a container port is a host port.
      for (String list : CONTAINER_LISTS) {
        for (ObjectNode c : Json.objects(spec, list)) {
          for (ObjectNode p : Json.objects(c, "ports")) {
            if (Json.absent(p, "hostPort") && p.has("containerPort")) {
              p.set("hostPort", p.get("containerPort"));
            }
          }
        }
      }
    }
  }

  /** How long a pod stays on a not-ready or unreachable node (DefaultTolerationSeconds). */
  static final long DEFAULT_TOLERATION_SECONDS = 300;

  private static final String[] NODE_CONDITION_TAINTS = {
    "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"
  };

  /**
   * Upstream's DefaultTolerationSeconds admission: a pod that does not already tolerate the
   * NoExecute taints {@code node.kubernetes.io/not-ready} and {@code unreachable} gets a toleration
   * of each for 300 s, so the node lifecycle controller evicts it only after that.
   */
  static void defaultTolerationSeconds(ObjectNode spec) {
    for (String key : NODE_CONDITION_TAINTS) {
      boolean tolerated = false;
      for (ObjectNode t : Json.objects(spec, "tolerations")) {
        String tk = t.path("key").asText("");
        String op = t.path("operator").asText("Equal");
        String effect = t.path("effect").asText("");
        boolean keyOk = tk.equals(key) || (tk.isEmpty() && op.equals("Exists"));
        boolean valueOk = op.equals("Exists") || t.path("value").asText("").isEmpty();
        if (keyOk && valueOk && (effect.isEmpty() || effect.equals("NoExecute"))) {
          tolerated = true;
        }
      }
      if (!tolerated) {
        ArrayNode list =
            spec.path("tolerations").isArray()
                ? (ArrayNode) spec.get("tolerations")
                : spec.putArray("tolerations");
        list.addObject()
            .put("key", key)
            .put("operator", "Exists")
            .put("effect", "NoExecute")
            .put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
      }
    }
  }

  /** A pod template (spec.template of the workload kinds): metadata and pod spec defaults. */
  static void template(ObjectNode template) {
    if (template != null) {
      spec(Json.objectOrCreate(template, "spec"));
    }
  }

  static void spec(ObjectNode spec) {
    Json.putIfAbsent(spec, "restartPolicy", "Always");
    Json.putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    Json.putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    Json.putIfAbsent(spec, "schedulerName", "default-scheduler");
    Json.putIfAbsent(spec, "enableServiceLinks", true);
    Json.emptyIfAbsent(spec, "securityContext");
    for (String list : CONTAINER_LISTS) {
      for (ObjectNode c : Json.objects(spec, list)) {
        container(c);
      }
    }
    for (ObjectNode v : Json.objects(spec, "volumes")) {
      volume(v);
    }
  }

  static void container(ObjectNode c) {
    Json.putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    Json.putIfAbsent(c, "terminationMessagePolicy", "File");
    Json.putIfAbsent(c, "imagePullPolicy", pullPolicy(Json.textOr(c, "image")));
    Json.emptyIfAbsent(c, "resources");
    for (ObjectNode p : Json.objects(c, "ports")) {
      Json.putIfAbsent(p, "protocol", "TCP");
    }
    for (String probe : PROBES) {
      ObjectNode p = Json.object(c, probe);
      if (p != null) {
        probe(p);
      }
    }
    ObjectNode lifecycle = Json.object(c, "lifecycle");
    if (lifecycle != null) {
      handler(Json.object(lifecycle, "postStart"));
      handler(Json.object(lifecycle, "preStop"));
    }
    for (ObjectNode env : Json.objects(c, "env")) {
      ObjectNode fieldRef = Json.object(Json.object(env, "valueFrom"), "fieldRef");
      if (fieldRef != null) {
        Json.putIfAbsent(fieldRef, "apiVersion", "v1");
      }
    }
  }

  /** "Always" for ":latest" or untagged images (unless pinned by digest), else "IfNotPresent". */
  static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    if (!tagged || image.substring(colon + 1).equals("latest")) {
      return "Always";
    }
    return "IfNotPresent";
  }

  private static void probe(ObjectNode p) {
    Json.putIfAbsent(p, "timeoutSeconds", 1);
    Json.putIfAbsent(p, "periodSeconds", 10);
    Json.putIfAbsent(p, "successThreshold", 1);
    Json.putIfAbsent(p, "failureThreshold", 3);
    handler(p);
  }

  private static void handler(ObjectNode h) {
    ObjectNode http = Json.object(h, "httpGet");
    if (http != null) {
      Json.putIfAbsent(http, "path", "/");
      Json.putIfAbsent(http, "scheme", "HTTP");
    }
  }

  static void volume(ObjectNode v) {
    boolean hasSource = false;
    var it = v.fieldNames();
    while (it.hasNext()) {
      if (!it.next().equals("name")) {
        hasSource = true;
      }
    }
    if (!hasSource) {
      v.putObject("emptyDir");
    }
    for (String source : MODE_SOURCES) {
      ObjectNode s = Json.object(v, source);
      if (s != null) {
        Json.putIfAbsent(s, "defaultMode", 420);
        if (source.equals("downwardAPI")) {
          fieldRefs(Json.objects(s, "items"));
        }
        if (source.equals("projected")) {
          for (ObjectNode src : Json.objects(s, "sources")) {
            fieldRefs(Json.objects(Json.object(src, "downwardAPI"), "items"));
            ObjectNode token = Json.object(src, "serviceAccountToken");
            if (token != null) {
              Json.putIfAbsent(token, "expirationSeconds", 3600);
            }
          }
        }
      }
    }
    ObjectNode hostPath = Json.object(v, "hostPath");
    if (hostPath != null) {
      Json.putIfAbsent(hostPath, "type", "");
    }
  }

  private static void fieldRefs(Iterable<ObjectNode> items) {
    for (ObjectNode item : items) {
      ObjectNode fieldRef = Json.object(item, "fieldRef");
      if (fieldRef != null) {
        Json.putIfAbsent(fieldRef, "apiVersion", "v1");
      }
    }
  }

  /** A pod's container with limits but no request for a resource requests what it limits. */
  private static void requestsFromLimits(ObjectNode c) {
    ObjectNode resources = Json.object(c, "resources");
    ObjectNode limits = Json.object(resources, "limits");
    if (limits == null || limits.isEmpty()) {
      return;
    }
    ObjectNode requests = Json.objectOrCreate(resources, "requests");
    limits
        .fields()
        .forEachRemaining(
            e -> {
              if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
              }
            });
  }

  static ArrayNode array(String... values) {
    ArrayNode a = Json.F.arrayNode();
    for (String v : values) {
      a.add(v);
    }
    return a;
  }
}
