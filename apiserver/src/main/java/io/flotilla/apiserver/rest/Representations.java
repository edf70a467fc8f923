package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.util.List;

/**
 * Converts stored objects into what the client negotiated: the object itself, a meta.k8s.io Table
 * (columns and cells from the kind's behavior), or PartialObjectMetadata. Stateless; never mutates
 * its input.
 */
public final class Representations {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Representations() {}

  /** One object as negotiated (a one-row Table, a PartialObjectMetadata, or itself). */
  public static ObjectNode single(
      Negotiation n, ApiRequest req, ResourceType type, ObjectNode obj, Instant now) {
    return single(n, req, type, obj, now, true);
  }

  public static ObjectNode single(
      Negotiation n,
      ApiRequest req,
      ResourceType type,
      ObjectNode obj,
      Instant now,
      boolean withColumns) {
    return switch (n.form()) {
      case OBJECT -> obj;
      case PARTIAL_METADATA -> partial(obj);
      case TABLE -> {
        ObjectNode t = tableShell(n, type, withColumns);
        t.putObject("metadata").put("resourceVersion", rv(obj));
        addRow((ArrayNode) t.get("rows"), req, type, obj, now);
        yield t;
      }
    };
  }

  /** A list as negotiated; {@code listMeta} holds resourceVersion, continue, remainingItemCount. */
  public static ObjectNode list(
      Negotiation n,
      ApiRequest req,
      ResourceType type,
      List<ObjectNode> items,
      ObjectNode listMeta,
      Instant now) {
    return switch (n.form()) {
      case OBJECT -> {
        ObjectNode l = F.objectNode();
        l.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        l.set("metadata", listMeta);
        ArrayNode arr = l.putArray("items");
        items.forEach(arr::add);
        yield l;
      }
      case PARTIAL_METADATA -> {
        ObjectNode l = F.objectNode();
        l.put("kind", "PartialObjectMetadataList")
            .put("apiVersion", "meta.k8s.io/" + n.tableVersion());
        l.set("metadata", listMeta);
        ArrayNode arr = l.putArray("items");
        items.forEach(o -> arr.add(partial(o)));
        yield l;
      }
      case TABLE -> {
        ObjectNode t = tableShell(n, type, true);
        t.set("metadata", listMeta);
        ArrayNode rows = (ArrayNode) t.get("rows");
        items.forEach(o -> addRow(rows, req, type, o, now));
        yield t;
      }
    };
  }

  private static ObjectNode tableShell(Negotiation n, ResourceType type, boolean withColumns) {
    ObjectNode t = F.objectNode();
    t.put("kind", "Table").put("apiVersion", "meta.k8s.io/" + n.tableVersion());
    t.putObject("metadata");
    ArrayNode cols = t.putArray("columnDefinitions");
    if (withColumns) {
      for (TableColumn c : type.behavior().tableColumns()) {
        cols.addObject()
            .put("name", c.name())
            .put("type", c.type())
            .put("format", c.format())
            .put("description", c.description())
            .put("priority", c.priority());
      }
    }
    t.putArray("rows");
    return t;
  }

  private static void addRow(
      ArrayNode rows, ApiRequest req, ResourceType type, ObjectNode obj, Instant now) {
    ObjectNode row = rows.addObject();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : type.behavior().tableCells(obj, now)) {
      cells.add(toJson(cell));
    }
    String include = req.param("includeObject");
    if (include == null || include.equals("Metadata")) {
      row.set("object", partial(obj));
    } else if (include.equals("Object")) {
      row.set("object", obj);
    } else if (!include.equals("None")) {
      throw StatusException.badRequest(
          "includeObject must be one of None, Metadata or Object, got \"" + include + "\"");
    }
  }

  private static JsonNode toJson(Object cell) {
    return switch (cell) {
      case null -> F.nullNode();
      case JsonNode j -> j;
      case Integer i -> F.numberNode(i);
      case Long l -> F.numberNode(l);
      case Double d -> F.numberNode(d);
      case Boolean b -> F.booleanNode(b);
      default -> F.textNode(cell.toString());
    };
  }

  public static ObjectNode partial(ObjectNode obj) {
    ObjectNode p = F.objectNode();
    p.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
    p.set("metadata", obj.path("metadata").deepCopy());
    return p;
  }

  private static String rv(ObjectNode obj) {
    return obj.path("metadata").path("resourceVersion").asText("");
  }
}
