package io.flotilla.apiserver.discovery;

import io.flotilla.api.GroupVersionKind;
import io.flotilla.api.ResourceType;
import java.util.List;

/** What discovery says about each subresource: the kind it speaks and its verbs. */
record Subresources(GroupVersionKind kind, List<String> verbs) {

  static Subresources of(ResourceType parent, String sub) {
    GroupVersionKind self = parent.gvk();
    return switch (sub) {
      case "status" -> new Subresources(self, List.of("get", "patch", "update"));
      case "scale" ->
          new Subresources(
              new GroupVersionKind("autoscaling", "v1", "Scale"),
              List.of("get", "patch", "update"));
      case "finalize" -> new Subresources(self, List.of("update"));
      case "binding" ->
          new Subresources(new GroupVersionKind("", "v1", "Binding"), List.of("create"));
      case "eviction" ->
          new Subresources(new GroupVersionKind("policy", "v1", "Eviction"), List.of("create"));
      case "log" -> new Subresources(new GroupVersionKind("", "v1", "Pod"), List.of("get"));
      case "exec" ->
          new Subresources(
              new GroupVersionKind("", "v1", "PodExecOptions"), List.of("create", "get"));
      case "attach" ->
          new Subresources(
              new GroupVersionKind("", "v1", "PodAttachOptions"), List.of("create", "get"));
      case "portforward" ->
          new Subresources(
              new GroupVersionKind("", "v1", "PodPortForwardOptions"), List.of("create", "get"));
      case "proxy" ->
          new Subresources(
              new GroupVersionKind("", "v1", parent.kind() + "ProxyOptions"),
              List.of("create", "delete", "get", "patch", "update"));
      case "token" ->
          new Subresources(
              new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"),
              List.of("create"));
      case "ephemeralcontainers", "resize" ->
          new Subresources(self, List.of("get", "patch", "update"));
      default -> new Subresources(self, List.of("get"));
    };
  }
}
