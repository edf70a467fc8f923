package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Events, in core/v1 and events.k8s.io/v1. Both are one stored resource under two schemas, so they
 * share upstream's columns; only the JSON field names differ.
 */
public final class EventBehaviors {
  private EventBehaviors() {}

  /** Where each printed fact lives in one Event schema. */
  private record Schema(
      String regarding,
      String message,
      String firstTimestamp,
      String lastTimestamp,
      String count,
      String source,
      String reportingController) {}

  private static final Schema CORE =
      new Schema(
          "involvedObject",
          "message",
          "firstTimestamp",
          "lastTimestamp",
          "count",
          "source",
          "reportingComponent");

  private static final Schema EVENTS =
      new Schema(
          "regarding",
          "note",
          "deprecatedFirstTimestamp",
          "deprecatedLastTimestamp",
          "deprecatedCount",
          "deprecatedSource",
          "reportingController");

  private static final List<String> REFERENCE_FIELDS =
      List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath");

  static final List<TableColumn> COLUMNS =
      List.of(
          column("Last Seen", "How long ago the event last occurred"),
          column("Type", "Normal or Warning"),
          column("Reason", "Why the event happened, in one word"),
          column("Object", "The object the event is about, as kind/name"),
          Cells.wide("Subobject", "The part of the object, such as a container"),
          Cells.wide("Source", "The component that reported the event"),
          column("Message", "What happened"),
          Cells.wide("First Seen", "How long ago the event first occurred"),
          Cells.wide("Count", "How many times the event occurred"),
          new TableColumn("Name", "string", "name", "Name of the object", 1));

  /** core/v1 Event. */
  public static TableBehavior coreEvent() {
    return behavior(CORE, "involvedObject", "reportingComponent");
  }

  /** events.k8s.io/v1 Event. */
  public static TableBehavior eventsEvent() {
    return behavior(EVENTS, "regarding", "reportingController");
  }

  private static TableBehavior behavior(Schema s, String referencePrefix, String reportingLabel) {
    Map<String, Function<JsonNode, String>> selectors = new LinkedHashMap<>();
    for (String field : REFERENCE_FIELDS) {
      selectors.put(referencePrefix + "." + field, o -> o.path(s.regarding).path(field).asText(""));
    }
    selectors.put("reason", o -> text(o, "reason"));
    selectors.put(reportingLabel, o -> text(o, s.reportingController));
    selectors.put("source", o -> o.path(s.source).path("component").asText(""));
    selectors.put("type", o -> text(o, "type"));
    return TableBehavior.of(COLUMNS, (o, now) -> cells(s, o, now))
        .withSelectors(selectors)
        .withoutGeneration();
  }

  private static List<Object> cells(Schema s, JsonNode event, Instant now) {
    String firstTimestamp = text(event, s.firstTimestamp);
    String first =
        Cells.since(firstTimestamp.isEmpty() ? text(event, "eventTime") : firstTimestamp, now);
    String lastTimestamp = text(event, s.lastTimestamp);
    String last = lastTimestamp.isEmpty() ? first : Cells.since(lastTimestamp, now);
    long count = event.path(s.count).asLong(0);
    JsonNode series = event.path("series");
    if (Cells.exists(series)) {
      last = Cells.since(series.path("lastObservedTime").asText(""), now);
      count = series.path("count").asLong(0);
    } else if (count == 0) {
      // Singleton events in the new API carry no count.
      count = 1;
    }
    JsonNode regarding = event.path(s.regarding);
    String kind = regarding.path("kind").asText("").toLowerCase(Locale.ROOT);
    String name = regarding.path("name").asText("");
    return Cells.row(
        last,
        text(event, "type"),
        text(event, "reason"),
        name.isEmpty() ? kind : kind + "/" + name,
        regarding.path("fieldPath").asText(""),
        source(s, event),
        text(event, s.message).strip(),
        first,
        count,
        Cells.name(event));
  }

  /** "component, host", each falling back to the reporting controller and instance. */
  private static String source(Schema s, JsonNode event) {
    JsonNode source = event.path(s.source);
    String component = source.path("component").asText("");
    if (component.isEmpty()) {
      component = text(event, s.reportingController);
    }
    String instance = source.path("host").asText("");
    if (instance.isEmpty()) {
      instance = text(event, "reportingInstance");
    }
    return instance.isEmpty() ? component : component + ", " + instance;
  }
}
