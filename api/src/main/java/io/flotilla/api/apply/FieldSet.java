package io.flotilla.api.apply;

import java.util.Collection;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An immutable set of field paths: what one manager owns, or what changed between two objects. A
 * path stands for the field or item itself; a list item's own path and its fields' paths are
 * separate members, as in structured-merge-diff.
 */
public final class FieldSet {
  private static final FieldSet EMPTY = new FieldSet(new TreeSet<>());
  private final NavigableSet<FieldPath> paths;

  private FieldSet(NavigableSet<FieldPath> paths) {
    this.paths = paths;
  }

  public static FieldSet empty() {
    return EMPTY;
  }

  public static FieldSet of(Collection<FieldPath> paths) {
    return new FieldSet(new TreeSet<>(paths));
  }

  public static FieldSet of(FieldPath... paths) {
    return of(java.util.List.of(paths));
  }

  /** The paths in order. */
  public NavigableSet<FieldPath> paths() {
    return java.util.Collections.unmodifiableNavigableSet(paths);
  }

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  public int size() {
    return paths.size();
  }

  public boolean contains(FieldPath p) {
    return paths.contains(p);
  }

  /** Whether some member is {@code p} or lies under it. */
  public boolean hasUnder(FieldPath p) {
    FieldPath next = paths.ceiling(p);
    return next != null && next.startsWith(p);
  }

  public FieldSet union(FieldSet o) {
    TreeSet<FieldPath> s = new TreeSet<>(paths);
    s.addAll(o.paths);
    return new FieldSet(s);
  }

  public FieldSet difference(FieldSet o) {
    TreeSet<FieldPath> s = new TreeSet<>(paths);
    s.removeAll(o.paths);
    return new FieldSet(s);
  }

  public FieldSet intersection(FieldSet o) {
    TreeSet<FieldPath> s = new TreeSet<>(paths);
    s.retainAll(o.paths);
    return new FieldSet(s);
  }

  public FieldSet filter(Predicate<FieldPath> keep) {
    TreeSet<FieldPath> s = new TreeSet<>();
    for (FieldPath p : paths) {
      if (keep.test(p)) {
        s.add(p);
      }
    }
    return new FieldSet(s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && f.paths.equals(paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return paths.toString();
  }
}
