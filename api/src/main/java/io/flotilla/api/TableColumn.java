package io.flotilla.api;

import java.util.List;

/**
 * One column of a server-side Table (meta.k8s.io/v1 TableColumnDefinition).
 *
 * @param name the header, such as "Ready"
 * @param type the JSON-schema type: string, integer, number, boolean, date
 * @param format a format hint such as "name", "" for none
 * @param description what the column shows
 * @param priority 0 for the default view; greater than 0 shown only with -o wide
 */
public record TableColumn(
    String name, String type, String format, String description, int priority) {

  /** NAME and AGE: the columns of a kind without printers of its own. */
  public static final List<TableColumn> DEFAULT =
      List.of(
          new TableColumn("Name", "string", "name", "Name of the object", 0),
          new TableColumn("Created At", "date", "", "When the object was created", 0));
}
