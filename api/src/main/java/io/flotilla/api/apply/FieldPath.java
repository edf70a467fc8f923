package io.flotilla.api.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * A path from the root of an object to one of its fields or list items. Paths order element by
 * element, a prefix before its extensions, so a sorted set of paths lists each subtree together.
 */
public record FieldPath(List<PathElement> elements) implements Comparable<FieldPath> {
  public static final FieldPath ROOT = new FieldPath(List.of());

  public FieldPath {
    elements = List.copyOf(elements);
  }

  /** A path of fields, e.g. {@code of("spec", "replicas")}. */
  public static FieldPath of(String... fields) {
    List<PathElement> es = new ArrayList<>();
    for (String f : fields) {
      es.add(new PathElement.Field(f));
    }
    return new FieldPath(es);
  }

  public FieldPath child(PathElement e) {
    List<PathElement> es = new ArrayList<>(elements);
    es.add(e);
    return new FieldPath(es);
  }

  public FieldPath child(String field) {
    return child(new PathElement.Field(field));
  }

  public int size() {
    return elements.size();
  }

  public PathElement last() {
    return elements.getLast();
  }

  public FieldPath parent() {
    return new FieldPath(elements.subList(0, elements.size() - 1));
  }

  /** Whether this path is {@code prefix} or lies under it. */
  public boolean startsWith(FieldPath prefix) {
    return prefix.size() <= size() && elements.subList(0, prefix.size()).equals(prefix.elements);
  }

  @Override
  public int compareTo(FieldPath o) {
    int n = Math.min(size(), o.size());
    for (int i = 0; i < n; i++) {
      int c = elements.get(i).compareTo(o.elements.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(size(), o.size());
  }

  /** The spelling of conflict messages: {@code .spec.containers[name="c"].image}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    elements.forEach(e -> b.append(e.display()));
    return b.toString();
  }
}
