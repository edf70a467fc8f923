package io.flotilla.scheduler.framework;

import java.util.Map;

/** The labels of a namespace, for affinity terms with a namespaceSelector. */
@FunctionalInterface
public interface NamespaceLabels {
  NamespaceLabels NONE = ns -> Map.of();

  /** The namespace's labels; an empty map when it is unknown. Must not block. */
  Map<String, String> labels(String namespace);
}
