package io.flotilla.node.pod;

/**
 * A container cannot be created from its spec as things stand (a missing ConfigMap or key, a bad
 * fieldPath): reported as {@code waiting: CreateContainerConfigError} with this message, and tried
 * again on the next sync, as kubelet does.
 */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }
}
