package io.flotilla.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.KindBehavior;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A kind's printing and field selection: its Table columns, a function that fills one row, and its
 * field selector extractors. Defaulting and validation stay at the {@link KindBehavior} defaults;
 * they live elsewhere. Immutable and stateless, so safe to share between threads.
 *
 * @param tableColumns upstream's columns for the kind, "Name" first
 * @param cells fills one row: one cell per column, in column order
 * @param fieldSelectors extractors for the fields upstream lets clients select on
 * @param tracksGeneration whether spec writes bump metadata.generation
 */
public record TableBehavior(
    List<TableColumn> tableColumns,
    Cells.RowFunction cells,
    Map<String, Function<JsonNode, String>> fieldSelectors,
    boolean tracksGeneration)
    implements KindBehavior {

  public TableBehavior {
    tableColumns = List.copyOf(tableColumns);
    fieldSelectors = Map.copyOf(fieldSelectors);
  }

  /** A kind with upstream's default columns (Name, Created At) and no extra field selectors. */
  public static TableBehavior plain(boolean tracksGeneration) {
    KindBehavior defaults = new KindBehavior() {};
    return new TableBehavior(TableColumn.DEFAULT, defaults::tableCells, Map.of(), tracksGeneration);
  }

  /** A kind with its own columns and no extra field selectors. */
  static TableBehavior of(List<TableColumn> columns, Cells.RowFunction cells) {
    return new TableBehavior(columns, cells, Map.of(), true);
  }

  TableBehavior withSelectors(Map<String, Function<JsonNode, String>> selectors) {
    return new TableBehavior(tableColumns, cells, selectors, tracksGeneration);
  }

  TableBehavior withoutGeneration() {
    return new TableBehavior(tableColumns, cells, fieldSelectors, false);
  }

  @Override
  public List<Object> tableCells(JsonNode object, Instant now) {
    return cells.row(object, now);
  }
}
