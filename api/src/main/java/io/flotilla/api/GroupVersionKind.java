package io.flotilla.api;

/** A kind at one group-version. Group "" is core. */
public record GroupVersionKind(String group, String version, String kind) {
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** Parses an apiVersion ("v1", "apps/v1") and a kind. */
  public static GroupVersionKind of(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? new GroupVersionKind("", apiVersion, kind)
        : new GroupVersionKind(
            apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
  }
}
