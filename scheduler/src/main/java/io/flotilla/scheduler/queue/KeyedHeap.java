package io.flotilla.scheduler.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A binary heap whose entries are also indexed by key, so that updating or removing a queued pod is
 * O(log n) rather than a scan of 50,000 entries. Not thread-safe: the queue locks.
 */
final class KeyedHeap<T> {
  private final ArrayList<T> items = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final Function<T, String> keyOf;
  private final Comparator<T> order;

  KeyedHeap(Function<T, String> keyOf, Comparator<T> order) {
    this.keyOf = keyOf;
    this.order = order;
  }

  int size() {
    return items.size();
  }

  boolean contains(String key) {
    return index.containsKey(key);
  }

  T get(String key) {
    Integer i = index.get(key);
    return i == null ? null : items.get(i);
  }

  /** Adds the item, or replaces the one with the same key and restores heap order. */
  void addOrUpdate(T item) {
    String key = keyOf.apply(item);
    Integer i = index.get(key);
    if (i != null) {
      items.set(i, item);
      fix(i);
      return;
    }
    items.add(item);
    index.put(key, items.size() - 1);
    up(items.size() - 1);
  }

  T remove(String key) {
    Integer i = index.get(key);
    return i == null ? null : removeAt(i);
  }

  T peek() {
    return items.isEmpty() ? null : items.get(0);
  }

  T poll() {
    return items.isEmpty() ? null : removeAt(0);
  }

  List<T> list() {
    return List.copyOf(items);
  }

  private T removeAt(int i) {
    T removed = items.get(i);
    index.remove(keyOf.apply(removed));
    int last = items.size() - 1;
    T moved = items.remove(last);
    if (i != last) {
      items.set(i, moved);
      index.put(keyOf.apply(moved), i);
      fix(i);
    }
    return removed;
  }

  private void fix(int i) {
    if (!up(i)) {
      down(i);
    }
  }

  private boolean up(int i) {
    int start = i;
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (order.compare(items.get(i), items.get(parent)) >= 0) {
        break;
      }
      swap(i, parent);
      i = parent;
    }
    return i != start;
  }

  private void down(int i) {
    int n = items.size();
    while (true) {
      int l = 2 * i + 1;
      if (l >= n) {
        return;
      }
      int smallest = l;
      if (l + 1 < n && order.compare(items.get(l + 1), items.get(l)) < 0) {
        smallest = l + 1;
      }
      if (order.compare(items.get(smallest), items.get(i)) >= 0) {
        return;
      }
      swap(i, smallest);
      i = smallest;
    }
  }

  private void swap(int a, int b) {
    T x = items.get(a);
    T y = items.get(b);
    items.set(a, y);
    items.set(b, x);
    index.put(keyOf.apply(y), a);
    index.put(keyOf.apply(x), b);
  }
}
