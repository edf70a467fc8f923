package io.flotilla.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The discovery documents, computed from the kind registry on each request (CRDs come and go):
 * {@code /api} (APIVersions), {@code /apis} (APIGroupList), {@code /api/v1} and {@code
 * /apis/<g>/<v>} (APIResourceList), {@code /apis/<g>} (APIGroup), and the aggregated v2 / v2beta1
 * documents of {@code /api} and {@code /apis} when the Accept header asks for them.
 */
public final class DiscoveryHandler {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final KindRegistry registry;
  private final List<ResourceType> served;

  public DiscoveryHandler(KindRegistry registry) {
    this(registry, List.of());
  }

  /**
   * Discovery of the registry's kinds and of {@code served}: resources the server answers without
   * storing them (metrics.k8s.io, which upstream aggregates from metrics-server), listed after the
   * registry's groups.
   */
  public DiscoveryHandler(KindRegistry registry, List<ResourceType> served) {
    this.registry = registry;
    this.served = List.copyOf(served);
  }

  /** The reply for a discovery path, or null when the path is not one. */
  public Reply.Full handle(String path, String accept) {
    String p = path.replaceAll("/+$", "");
    String[] parts = p.isEmpty() ? new String[0] : p.substring(1).split("/");
    String aggregated = aggregatedVersion(accept);
    if (parts.length == 1 && parts[0].equals("api")) {
      return aggregated != null
          ? aggregatedReply(true, aggregated)
          : Replies.json(200, apiVersions());
    }
    if (parts.length == 1 && parts[0].equals("apis")) {
      return aggregated != null
          ? aggregatedReply(false, aggregated)
          : Replies.json(200, groupList());
    }
    if (parts.length == 2 && parts[0].equals("api")) {
      return resourceList("", parts[1]);
    }
    if (parts.length == 2 && parts[0].equals("apis")) {
      ObjectNode g = group(parts[1]);
      return g == null ? null : Replies.json(200, g);
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      return resourceList(parts[1], parts[2]);
    }
    return null;
  }

  private static String aggregatedVersion(String accept) {
    if (accept == null) {
      return null;
    }
    for (String entry : accept.split(",")) {
      String e = entry.replace(" ", "");
      if (e.startsWith("application/json")
          && e.contains("g=apidiscovery.k8s.io")
          && e.contains("as=APIGroupDiscoveryList")) {
        if (e.contains("v=v2beta1")) {
          return "v2beta1";
        }
        if (e.contains("v=v2;") || e.endsWith("v=v2")) {
          return "v2";
        }
      }
    }
    return null;
  }

  /**
   * group -> version -> resources. Groups keep registration order (upstream's group priority, which
   * kubectl uses to resolve names served by several groups); versions go highest first.
   */
  private Map<String, Map<String, List<ResourceType>>> groups() {
    Map<String, Map<String, List<ResourceType>>> out = new LinkedHashMap<>();
    List<ResourceType> all = new ArrayList<>(registry.all());
    all.addAll(served);
    for (ResourceType t : all) {
      out.computeIfAbsent(t.group(), g -> new TreeMap<>(VersionPriority.HIGHEST_FIRST))
          .computeIfAbsent(t.version(), v -> new ArrayList<>())
          .add(t);
    }
    return out;
  }

  private ObjectNode apiVersions() {
    ObjectNode o = F.objectNode();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    o.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", "");
    return o;
  }

  private ObjectNode groupList() {
    ObjectNode o = F.objectNode();
    o.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode arr = o.putArray("groups");
    groups()
        .forEach(
            (g, versions) -> {
              if (!g.isEmpty()) {
                arr.add(groupNode(g, versions));
              }
            });
    return o;
  }

  private ObjectNode group(String name) {
    Map<String, List<ResourceType>> versions = groups().get(name);
    if (name.isEmpty() || versions == null) {
      return null;
    }
    ObjectNode g = groupNode(name, versions);
    g.put("kind", "APIGroup").put("apiVersion", "v1");
    return g;
  }

  private static ObjectNode groupNode(String name, Map<String, List<ResourceType>> versions) {
    ObjectNode g = F.objectNode();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    versions
        .keySet()
        .forEach(v -> vs.addObject().put("groupVersion", name + "/" + v).put("version", v));
    String preferred = versions.keySet().iterator().next();
    g.putObject("preferredVersion")
        .put("groupVersion", name + "/" + preferred)
        .put("version", preferred);
    return g;
  }

  private Reply.Full resourceList(String group, String version) {
    Map<String, List<ResourceType>> versions = groups().get(group);
    List<ResourceType> types = versions == null ? null : versions.get(version);
    if (types == null) {
      return null;
    }
    ObjectNode o = F.objectNode();
    o.put("kind", "APIResourceList").put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode arr = o.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = arr.addObject();
      r.put("name", t.plural()).put("singularName", t.singular()).put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      strings(r.putArray("verbs"), t.verbs());
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      for (String sub : t.subresources().stream().sorted().toList()) {
        Subresources s = Subresources.of(t, sub);
        ObjectNode sr = arr.addObject();
        sr.put("name", t.plural() + "/" + sub)
            .put("singularName", "")
            .put("namespaced", t.namespaced());
        if (!s.kind().group().equals(t.group()) || !s.kind().version().equals(t.version())) {
          sr.put("group", s.kind().group()).put("version", s.kind().version());
        }
        sr.put("kind", s.kind().kind());
        strings(sr.putArray("verbs"), s.verbs());
      }
    }
    return Replies.json(200, o);
  }

  private Reply.Full aggregatedReply(boolean core, String version) {
    ObjectNode o = F.objectNode();
    o.put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/" + version);
    o.putObject("metadata");
    ArrayNode items = o.putArray("items");
    groups()
        .forEach(
            (g, versions) -> {
              if (g.isEmpty() != core) {
                return;
              }
              ObjectNode item = items.addObject();
              ObjectNode meta = item.putObject("metadata");
              if (!g.isEmpty()) {
                meta.put("name", g);
              }
              ArrayNode vs = item.putArray("versions");
              versions.forEach((v, types) -> vs.add(aggregatedVersion(v, types)));
            });
    Reply.Full json = Replies.json(200, o);
    Map<String, String> headers = new LinkedHashMap<>(json.headers());
    return new Reply.Full(
        200,
        json.body(),
        "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList",
        headers);
  }

  private static ObjectNode aggregatedVersion(String version, List<ResourceType> types) {
    ObjectNode v = F.objectNode();
    v.put("version", version);
    ArrayNode rs = v.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = rs.addObject();
      r.put("resource", t.plural());
      gvk(r.putObject("responseKind"), t.group(), t.version(), t.kind());
      r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
      r.put("singularResource", t.singular());
      strings(r.putArray("verbs"), t.verbs());
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      if (!t.subresources().isEmpty()) {
        ArrayNode subs = r.putArray("subresources");
        for (String sub : t.subresources().stream().sorted().toList()) {
          Subresources s = Subresources.of(t, sub);
          ObjectNode so = subs.addObject().put("subresource", sub);
          gvk(so.putObject("responseKind"), s.kind().group(), s.kind().version(), s.kind().kind());
          strings(so.putArray("verbs"), s.verbs());
        }
      }
    }
    v.put("freshness", "Current");
    return v;
  }

  private static void gvk(ObjectNode n, String group, String version, String kind) {
    n.put("group", group).put("version", version).put("kind", kind);
  }

  private static void strings(ArrayNode arr, List<String> values) {
    values.forEach(arr::add);
  }
}
