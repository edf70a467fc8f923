package io.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keeps metadata.managedFields of the objects of one resource (or subresource) in one API version,
 * as upstream's field manager does: every write records an Update entry owning the fields it
 * changed, taken from other managers; an apply merges a configuration into the live object, prunes
 * what its manager applied before and no longer does, and refuses to change fields other managers
 * own unless forced. Stateless and thread-safe.
 */
public final class FieldManager {
  /** The manager given the fields of an object that is first applied without managed fields. */
  public static final String BEFORE_FIRST_APPLY = "before-first-apply";

  /** Upstream keeps at most this many Update entries, folding the oldest into a bucket. */
  public static final int MAX_UPDATE_MANAGERS = 10;

  /** The bucket manager the oldest Update entries are folded into, one per API version. */
  public static final String ANCIENT_CHANGES = "ancient-changes";

  private final ApplySchema schema;
  private final String apiVersion;
  private final String subresource;
  private final Predicate<FieldPath> tracked;

  /**
   * @param tracked which fields this (sub)resource's writes may own; the others (status, for the
   *     main resource of a kind with a status subresource) are reset by the server anyway
   */
  public FieldManager(
      ApplySchema schema, String apiVersion, String subresource, Predicate<FieldPath> tracked) {
    this.schema = schema;
    this.apiVersion = apiVersion;
    this.subresource = subresource == null ? "" : subresource;
    this.tracked = tracked;
  }

  /**
   * Records in {@code next}'s metadata that {@code manager} wrote it over {@code old} (null on
   * create). A client that sends {@code managedFields: []} clears them; one that omits them keeps
   * the stored ones; one that sends others has them taken as the starting point.
   */
  public void recordUpdate(JsonNode old, ObjectNode next, String manager, String time) {
    ObjectNode meta = meta(next);
    JsonNode given = meta.get("managedFields");
    if (isReset(given)) {
      meta.remove("managedFields");
      return;
    }
    List<ManagedFieldsEntry> base = null;
    if (given != null && given.isArray() && !given.isEmpty() && subresource.isEmpty()) {
      base = decodeOrNull(given);
    }
    if (base == null) {
      base = decodeOrNull(old == null ? null : old.path("metadata").get("managedFields"));
    }
    if (base == null) {
      base = new ArrayList<>();
    }
    setEntries(meta, update(base, old, next, manager, time));
  }

  /** The entries after {@code manager} changed {@code old} into {@code next}. */
  public List<ManagedFieldsEntry> update(
      List<ManagedFieldsEntry> base, JsonNode old, JsonNode next, String manager, String time) {
    ObjectFields.Comparison cmp = compare(old, next);
    FieldSet changed = cmp.changed();
    ManagedFieldsEntry self =
        new ManagedFieldsEntry(
            manager, ManagedFieldsEntry.UPDATE, apiVersion, time, FieldSet.empty(), subresource);
    List<ManagedFieldsEntry> out = new ArrayList<>();
    ManagedFieldsEntry previous = null;
    for (ManagedFieldsEntry e : base) {
      ManagedFieldsEntry rest =
          e.withFields(e.fields().difference(changed).difference(cmp.removed()));
      if (e.sameManager(self)) {
        previous = rest;
      } else {
        out.add(rest);
      }
    }
    if (previous == null) {
      out.add(self.withFields(changed));
    } else if (changed.isEmpty()) {
      out.add(previous);
    } else {
      out.add(previous.withFields(previous.fields().union(changed)).withTime(time));
    }
    return dropEmpty(out);
  }

  /**
   * Applies {@code config} for {@code manager} to {@code live} (null to create): the merged object
   * with its managedFields.
   *
   * @throws ApplyConflictException when fields other managers own would change and not forced
   */
  public ObjectNode apply(
      ObjectNode live, ObjectNode config, String manager, boolean force, String time) {
    ObjectNode base = live == null ? JsonNodeFactory.instance.objectNode() : live;
    List<ManagedFieldsEntry> managers = new ArrayList<>();
    if (live != null) {
      List<ManagedFieldsEntry> stored = decodeOrNull(live.path("metadata").get("managedFields"));
      if (stored != null) {
        managers.addAll(stored);
      }
      if (managers.isEmpty()) {
        // Someone owns what is there already: changing it conflicts, as upstream.
        FieldSet existing = compare(null, live).added();
        managers.add(
            new ManagedFieldsEntry(
                BEFORE_FIRST_APPLY,
                ManagedFieldsEntry.UPDATE,
                apiVersion,
                time,
                existing,
                subresource));
      }
    }
    ManagedFieldsEntry applier =
        new ManagedFieldsEntry(
            manager, ManagedFieldsEntry.APPLY, apiVersion, time, FieldSet.empty(), subresource);
    FieldSet lastSet = FieldSet.empty();
    String lastTime = time;
    List<ManagedFieldsEntry> others = new ArrayList<>();
    for (ManagedFieldsEntry e : managers) {
      if (e.sameManager(applier)) {
        lastSet = e.fields();
        lastTime = e.time();
      } else {
        others.add(e);
      }
    }
    FieldSet applied = ObjectFields.of(config, schema).filter(tracked);
    ObjectNode merged = ApplyMerge.merge(base, config, schema);
    prune(merged, lastSet.difference(applied), applied, others);
    ObjectFields.Comparison cmp = compare(live, merged);
    FieldSet changed = cmp.changed();
    List<ApplyConflictException.Conflict> conflicts = new ArrayList<>();
    for (ManagedFieldsEntry e : others) {
      for (FieldPath p : e.fields().intersection(changed).paths()) {
        conflicts.add(new ApplyConflictException.Conflict(e, p));
      }
    }
    if (!force && !conflicts.isEmpty()) {
      throw new ApplyConflictException(conflicts);
    }
    List<ManagedFieldsEntry> out = new ArrayList<>();
    for (ManagedFieldsEntry e : others) {
      out.add(e.withFields(e.fields().difference(changed).difference(cmp.removed())));
    }
    out.add(applier.withFields(applied).withTime(cmp.isEmpty() ? lastTime : time));
    setEntries(meta(merged), dropEmpty(out));
    return merged;
  }

  /**
   * Removes what the applier gave up, unless another manager owns it or something under it; key
   * fields of list-map items stay with their items.
   */
  private void prune(
      ObjectNode merged, FieldSet given, FieldSet applied, List<ManagedFieldsEntry> others) {
    FieldSet owned = applied;
    for (ManagedFieldsEntry e : others) {
      owned = owned.union(e.fields());
    }
    for (FieldPath p : given.paths()) {
      if (owned.hasUnder(p) || isKeyField(p)) {
        continue;
      }
      ApplyMerge.remove(merged, p, schema);
    }
  }

  private static boolean isKeyField(FieldPath p) {
    if (p.size() < 2 || !(p.last() instanceof PathElement.Field f)) {
      return false;
    }
    return p.parent().last() instanceof PathElement.Key k && k.fields().containsKey(f.name());
  }

  private ObjectFields.Comparison compare(JsonNode old, JsonNode next) {
    ObjectFields.Comparison c = ObjectFields.compare(old, next, schema);
    return new ObjectFields.Comparison(
        c.added().filter(tracked), c.removed().filter(tracked), c.modified().filter(tracked));
  }

  /** Upstream's reset: an empty list, or a list of one empty entry. */
  private static boolean isReset(JsonNode given) {
    return given != null
        && given.isArray()
        && (given.isEmpty() || (given.size() == 1 && given.get(0).isEmpty()));
  }

  private static List<ManagedFieldsEntry> decodeOrNull(JsonNode list) {
    try {
      return ManagedFieldsEntry.decodeAll(list);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<ManagedFieldsEntry> dropEmpty(List<ManagedFieldsEntry> entries) {
    return cap(entries.stream().filter(e -> !e.fields().isEmpty()).toList());
  }

  /**
   * Folds the oldest Update entries into one {@value #ANCIENT_CHANGES} entry per API version until
   * at most {@value #MAX_UPDATE_MANAGERS} remain, so managedFields cannot grow without bound.
   */
  static List<ManagedFieldsEntry> cap(List<ManagedFieldsEntry> entries) {
    if (entries.size() <= MAX_UPDATE_MANAGERS) {
      return entries; // the usual case: too few entries to sort, let alone fold
    }
    List<ManagedFieldsEntry> updaters =
        entries.stream()
            .filter(e -> e.operation().equals(ManagedFieldsEntry.UPDATE))
            .sorted(
                Comparator.comparing(ManagedFieldsEntry::time)
                    .thenComparing(ManagedFieldsEntry::manager))
            .toList();
    if (updaters.size() <= MAX_UPDATE_MANAGERS) {
      return entries;
    }
    List<ManagedFieldsEntry> out = new ArrayList<>(entries);
    Map<String, ManagedFieldsEntry> firstByVersion = new HashMap<>();
    int length = updaters.size();
    for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
      ManagedFieldsEntry e = updaters.get(i);
      ManagedFieldsEntry first = firstByVersion.putIfAbsent(e.apiVersion(), e);
      if (first == null) {
        continue;
      }
      int at = bucketIndex(out, e.apiVersion());
      if (at < 0) {
        at = out.indexOf(first);
        out.set(
            at,
            new ManagedFieldsEntry(
                ANCIENT_CHANGES,
                ManagedFieldsEntry.UPDATE,
                e.apiVersion(),
                first.time(),
                first.fields(),
                ""));
      }
      ManagedFieldsEntry bucket = out.get(at);
      out.set(at, bucket.withFields(bucket.fields().union(e.fields())).withTime(e.time()));
      out.remove(e);
      length--;
    }
    return out;
  }

  private static int bucketIndex(List<ManagedFieldsEntry> entries, String apiVersion) {
    for (int i = 0; i < entries.size(); i++) {
      ManagedFieldsEntry e = entries.get(i);
      if (e.manager().equals(ANCIENT_CHANGES)
          && e.operation().equals(ManagedFieldsEntry.UPDATE)
          && e.apiVersion().equals(apiVersion)
          && e.subresource().isEmpty()) {
        return i;
      }
    }
    return -1;
  }

  private static void setEntries(ObjectNode meta, List<ManagedFieldsEntry> entries) {
    ArrayNode a = ManagedFieldsEntry.encodeAll(entries);
    if (a.isEmpty()) {
      meta.remove("managedFields");
    } else {
      meta.set("managedFields", a);
    }
  }

  private static ObjectNode meta(ObjectNode obj) {
    return obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
  }
}
