package io.flotilla.api;

import java.util.List;
import java.util.Set;

/**
 * One served resource at one group-version: what the apiserver needs to route, store, list, print,
 * default and validate it. Immutable.
 *
 * @param group the API group, "" for core
 * @param version the version, such as "v1"
 * @param kind the kind, such as "Deployment"
 * @param plural the resource name in URLs, such as "deployments"
 * @param singular the singular name, such as "deployment"
 * @param namespaced whether objects live in a namespace
 * @param shortNames short names for kubectl, such as "deploy"
 * @param categories categories, such as "all"
 * @param verbs the verbs served, in discovery order (get, list, watch, create, update, patch,
 *     delete, deletecollection)
 * @param subresources the subresources served: status, scale, binding, eviction, log, exec, attach,
 *     portforward, proxy, token
 * @param storageResource the group/resource under which objects are stored, shared by every version
 *     of one resource (for example "autoscaling/horizontalpodautoscalers")
 * @param behavior defaulting, validation, printing and field selectors for the kind
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    Set<String> subresources,
    String storageResource,
    KindBehavior behavior) {

  public ResourceType {
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    verbs = List.copyOf(verbs);
    subresources = Set.copyOf(subresources);
  }

  /** "v1" for core, "apps/v1" otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String listKind() {
    return kind + "List";
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }

  public GroupVersionKind gvk() {
    return new GroupVersionKind(group, version, kind);
  }
}
