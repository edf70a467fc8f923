package io.flotilla.api.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inverse of {@link MessageToJson}: builds the protobuf message for a Kubernetes JSON object. A
 * JSON null in a message field becomes an empty message (Go's zero struct, so {@code
 * "creationTimestamp":null} round-trips); a null scalar is left unset.
 */
final class JsonToMessage {
  private JsonToMessage() {}

  /** Builds a message of the given type; throws IllegalArgumentException naming the field. */
  static Message message(JsonNode json, Descriptor type) {
    if (SpecialTypes.isSpecial(type)) {
      return SpecialTypes.fromJson(json, type);
    }
    if (json.isNull()) {
      return DynamicMessage.getDefaultInstance(type);
    }
    if (!json.isObject()) {
      throw new IllegalArgumentException(
          "expected an object for " + type.getName() + ", got " + json);
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    // Go writes embedded (inline) structs whether or not they hold anything.
    Map<FieldDescriptor, ObjectNode> inline = new LinkedHashMap<>();
    for (FieldDescriptor field : type.getFields()) {
      if (GoJsonFields.isInline(field)) {
        inline.put(field, JsonNodeFactory.instance.objectNode());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      FieldDescriptor field = GoJsonFields.byJsonName(type, entry.getKey());
      if (field == null) {
        inlineHolder(inline, entry.getKey(), type).set(entry.getKey(), entry.getValue());
        continue;
      }
      try {
        set(builder, field, entry.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(entry.getKey() + ": " + e.getMessage(), e);
      }
    }
    inline.forEach(
        (field, fields) -> builder.setField(field, message(fields, field.getMessageType())));
    return builder.build();
  }

  private static ObjectNode inlineHolder(
      Map<FieldDescriptor, ObjectNode> inline, String name, Descriptor type) {
    for (Map.Entry<FieldDescriptor, ObjectNode> candidate : inline.entrySet()) {
      if (accepts(candidate.getKey().getMessageType(), name)) {
        return candidate.getValue();
      }
    }
    throw new IllegalArgumentException(type.getName() + " has no field \"" + name + "\"");
  }

  private static boolean accepts(Descriptor type, String name) {
    if (GoJsonFields.byJsonName(type, name) != null) {
      return true;
    }
    return type.getFields().stream()
        .anyMatch(f -> GoJsonFields.isInline(f) && accepts(f.getMessageType(), name));
  }

  private static void set(DynamicMessage.Builder builder, FieldDescriptor field, JsonNode json) {
    if (json.isNull() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return;
    }
    if (field.isMapField()) {
      if (json.isNull()) {
        return;
      }
      Descriptor entryType = field.getMessageType();
      FieldDescriptor key = entryType.findFieldByNumber(1);
      FieldDescriptor value = entryType.findFieldByNumber(2);
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> item = it.next();
        DynamicMessage entry =
            DynamicMessage.newBuilder(entryType)
                .setField(key, item.getKey())
                .setField(value, scalar(value, item.getValue()))
                .build();
        builder.addRepeatedField(field, entry);
      }
    } else if (field.isRepeated()) {
      if (json.isNull()) {
        return;
      }
      if (!json.isArray()) {
        throw new IllegalArgumentException("expected an array, got " + json);
      }
      for (JsonNode item : json) {
        builder.addRepeatedField(field, scalar(field, item));
      }
    } else {
      builder.setField(field, scalar(field, json));
    }
  }

  private static Object scalar(FieldDescriptor field, JsonNode json) {
    return switch (field.getJavaType()) {
      case MESSAGE -> message(json, field.getMessageType());
      case STRING -> requireText(json);
      case BOOLEAN -> {
        if (!json.isBoolean()) {
          throw new IllegalArgumentException("expected a boolean, got " + json);
        }
        yield json.booleanValue();
      }
      case INT -> requireIntegral(json).intValue();
      case LONG -> requireIntegral(json).longValue();
      case FLOAT -> (float) json.doubleValue();
      case DOUBLE -> json.doubleValue();
      case BYTE_STRING -> ByteString.copyFrom(Base64.getDecoder().decode(requireText(json)));
      case ENUM -> field.getEnumType().findValueByName(requireText(json));
    };
  }

  private static String requireText(JsonNode json) {
    if (!json.isTextual()) {
      throw new IllegalArgumentException("expected a string, got " + json);
    }
    return json.textValue();
  }

  private static JsonNode requireIntegral(JsonNode json) {
    if (!json.isIntegralNumber()) {
      throw new IllegalArgumentException("expected an integer, got " + json);
    }
    return json;
  }
}
