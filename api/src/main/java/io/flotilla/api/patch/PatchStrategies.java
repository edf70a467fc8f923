package io.flotilla.api.patch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The patch metadata Kubernetes gives the fields of its built-in types (patch strategy, merge key,
 * list type, list map keys, map type), read from the project's table {@code patch-strategies.tsv}.
 * Rows are keyed by Flotilla's schema component name of the type that holds the field
 * ("io.flotilla.model.core.PodSpec") and the field's JSON name; fields without a row have no
 * metadata.
 *
 * <p>The table is loaded once and never changes; lookups are thread-safe.
 */
public final class PatchStrategies {
  private static final String RESOURCE = "patch-strategies.tsv";

  /** One row of the table; empty strings and lists where upstream sets nothing. */
  public record Entry(
      String component,
      String field,
      String patchStrategy,
      String mergeKey,
      String listType,
      List<String> listMapKeys,
      String mapType) {
    public Entry {
      listMapKeys = List.copyOf(listMapKeys);
    }

    public PatchMeta meta() {
      return PatchMeta.of(patchStrategy, mergeKey);
    }
  }

  private static final class Table {
    static final List<Entry> ROWS = load();
    static final Map<String, Entry> BY_KEY = index(ROWS);
  }

  private PatchStrategies() {}

  /** The row for a field of a component, if upstream gives it any metadata. */
  public static Optional<Entry> find(String component, String field) {
    return Optional.ofNullable(Table.BY_KEY.get(component + "#" + field));
  }

  /** Every row, in table order. */
  public static List<Entry> all() {
    return Table.ROWS;
  }

  private static Map<String, Entry> index(List<Entry> rows) {
    Map<String, Entry> byKey = new HashMap<>();
    for (Entry e : rows) {
      byKey.put(e.component() + "#" + e.field(), e);
    }
    return Map.copyOf(byKey);
  }

  private static List<Entry> load() {
    try (InputStream in = PatchStrategies.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Entry> rows = new ArrayList<>();
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        rows.add(parse(line, number));
      }
      return List.copyOf(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Entry parse(String line, int number) {
    String[] f = line.split("\t", -1);
    if (f.length != 7) {
      throw new IllegalStateException(
          RESOURCE + " line " + number + " has " + f.length + " columns, expected 7");
    }
    String keys = value(f[5]);
    return new Entry(
        f[0],
        f[1],
        value(f[2]),
        value(f[3]),
        value(f[4]),
        keys.isEmpty() ? List.of() : List.of(keys.split(",")),
        value(f[6]));
  }

  private static String value(String cell) {
    return cell.equals("-") ? "" : cell;
  }
}
