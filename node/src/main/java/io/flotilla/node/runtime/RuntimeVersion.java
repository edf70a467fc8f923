package io.flotilla.node.runtime;

/** What a runtime calls itself, e.g. {@code containerd} {@code 1.6.20}. */
public record RuntimeVersion(String runtimeName, String runtimeVersion) {
  /** The form nodeInfo.containerRuntimeVersion takes: {@code containerd://1.6.20}. */
  public String nodeInfoForm() {
    return runtimeName + "://" + runtimeVersion;
  }
}
