package io.flotilla.api.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * The apimachinery types whose JSON form is not an object of their fields: timestamps, durations,
 * quantities, int-or-strings, embedded raw JSON, managed-fields sets and string-list wrappers. Each
 * converts both ways; every other message is a plain object.
 */
final class SpecialTypes {
  private SpecialTypes() {}

  static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
  static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
  static final String DURATION = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
  static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
  static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
  static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

  /** Go named slice types ({@code type ExtraValue []string}): protobuf wraps them, JSON not. */
  private static final Set<String> STRING_LISTS =
      Set.of(
          "k8s.io.apimachinery.pkg.apis.meta.v1.Verbs",
          "k8s.io.api.authentication.v1.ExtraValue",
          "k8s.io.api.authorization.v1.ExtraValue",
          "k8s.io.api.certificates.v1.ExtraValue");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.UTC);

  static boolean isSpecial(Descriptor type) {
    String name = type.getFullName();
    return switch (name) {
      case TIME, MICRO_TIME, DURATION, FIELDS_V1, QUANTITY, INT_OR_STRING, RAW_EXTENSION -> true;
      default -> STRING_LISTS.contains(name);
    };
  }

  /** The JSON form of a special message; the caller checked {@link #isSpecial}. */
  static JsonNode toJson(Message message) {
    Descriptor type = message.getDescriptorForType();
    return switch (type.getFullName()) {
      case TIME -> time(message, SECONDS);
      case MICRO_TIME -> time(message, MICROS);
      case DURATION -> NODES.textNode(GoDurations.format(longField(message, "duration")));
      case QUANTITY -> NODES.textNode(stringField(message, "string"));
      case INT_OR_STRING ->
          longField(message, "type") == 1
              ? NODES.textNode(stringField(message, "strVal"))
              : NODES.numberNode((int) longField(message, "intVal"));
      case FIELDS_V1 -> embeddedJson(bytesField(message, "Raw"), type);
      case RAW_EXTENSION -> embeddedJson(bytesField(message, "raw"), type);
      default -> stringList(message);
    };
  }

  /** A special message from its JSON form; throws IllegalArgumentException on a wrong shape. */
  static Message fromJson(JsonNode json, Descriptor type) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    switch (type.getFullName()) {
      case TIME, MICRO_TIME -> {
        if (!json.isNull()) {
          Instant instant = parseTime(json);
          set(builder, "seconds", instant.getEpochSecond());
          set(builder, "nanos", instant.getNano());
        }
      }
      case DURATION -> set(builder, "duration", GoDurations.parse(text(json, type)));
      case QUANTITY -> set(builder, "string", json.isNumber() ? json.asText() : text(json, type));
      case INT_OR_STRING -> {
        if (json.isIntegralNumber()) {
          set(builder, "type", 0L);
          set(builder, "intVal", json.intValue());
        } else {
          set(builder, "type", 1L);
          set(builder, "strVal", text(json, type));
        }
      }
      case FIELDS_V1 -> set(builder, "Raw", ByteString.copyFromUtf8(json.toString()));
      case RAW_EXTENSION -> set(builder, "raw", ByteString.copyFromUtf8(json.toString()));
      default -> {
        if (!json.isArray()) {
          throw new IllegalArgumentException("expected an array of strings, got " + json);
        }
        FieldDescriptor items = type.findFieldByName("items");
        json.forEach(item -> builder.addRepeatedField(items, item.asText()));
      }
    }
    return builder.build();
  }

  private static JsonNode time(Message message, DateTimeFormatter format) {
    // Go writes a zero time as an empty message and its JSON form is null.
    if (message.getAllFields().isEmpty()) {
      return NullNode.instance;
    }
    Instant instant =
        Instant.ofEpochSecond(longField(message, "seconds"), longField(message, "nanos"));
    return NODES.textNode(format.format(instant.truncatedTo(ChronoUnit.MICROS)));
  }

  private static Instant parseTime(JsonNode json) {
    try {
      return OffsetDateTime.parse(json.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected an RFC 3339 time, got " + json, e);
    }
  }

  private static JsonNode embeddedJson(ByteString raw, Descriptor type) {
    if (raw.isEmpty()) {
      return NullNode.instance;
    }
    try {
      return JSON.readTree(raw.toByteArray());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          type.getName() + " does not hold JSON: " + firstLine(e), e);
    }
  }

  private static ArrayNode stringList(Message message) {
    ArrayNode array = NODES.arrayNode();
    FieldDescriptor items = message.getDescriptorForType().findFieldByName("items");
    for (int i = 0; i < message.getRepeatedFieldCount(items); i++) {
      array.add((String) message.getRepeatedField(items, i));
    }
    return array;
  }

  private static String text(JsonNode json, Descriptor type) {
    if (!json.isTextual()) {
      throw new IllegalArgumentException(
          "expected a string for " + type.getName() + ", got " + json);
    }
    return json.textValue();
  }

  private static Optional<Object> field(Message message, String name) {
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
    return Optional.ofNullable(field).map(message::getField);
  }

  private static long longField(Message message, String name) {
    return field(message, name).map(v -> ((Number) v).longValue()).orElse(0L);
  }

  private static String stringField(Message message, String name) {
    return field(message, name).map(String.class::cast).orElse("");
  }

  private static ByteString bytesField(Message message, String name) {
    return field(message, name).map(ByteString.class::cast).orElse(ByteString.EMPTY);
  }

  private static void set(DynamicMessage.Builder builder, String name, Object value) {
    FieldDescriptor field = builder.getDescriptorForType().findFieldByName(name);
    Object typed =
        switch (field.getJavaType()) {
          case INT -> ((Number) value).intValue();
          case LONG -> ((Number) value).longValue();
          default -> value;
        };
    builder.setField(field, typed);
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
