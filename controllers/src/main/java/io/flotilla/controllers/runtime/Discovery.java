package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API's resources from discovery, preferred version of each group, custom resources included,
 * as upstream's {@code ServerPreferredResources}. Stateless; each call asks the apiserver.
 */
public final class Discovery {
  private Discovery() {}

  /** A resource and the verbs it supports. */
  public record Resource(ResourceDefinitionContext context, Set<String> verbs) {
    public String group() {
      return context.getGroup() == null ? "" : context.getGroup();
    }

    public String kind() {
      return context.getKind();
    }

    public String key() {
      return group() + "/" + context.getPlural();
    }
  }

  /** Every top-level resource (no subresources) of each group's preferred version. */
  public static List<Resource> preferredResources(KubernetesClient client) {
    List<Resource> out = new ArrayList<>();
    add(out, client, "v1");
    for (APIGroup g : client.getApiGroups().getGroups()) {
      String gv =
          g.getPreferredVersion() != null
              ? g.getPreferredVersion().getGroupVersion()
              : g.getVersions().get(0).getGroupVersion();
      add(out, client, gv);
    }
    return out;
  }

  private static void add(List<Resource> out, KubernetesClient client, String groupVersion) {
    APIResourceList list;
    try {
      list = client.getApiResources(groupVersion);
    } catch (KubernetesClientException e) {
      return; // a group going away (deleted CRD) between the two calls
    }
    if (list == null) {
      return;
    }
    for (APIResource r : list.getResources()) {
      if (r.getName().contains("/")) {
        continue;
      }
      out.add(
          new Resource(
              ResourceDefinitionContext.fromApiResource(groupVersion, r),
              r.getVerbs() == null ? Set.of() : Set.copyOf(r.getVerbs())));
    }
  }
}
