package io.flotilla.api.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns a Kubernetes protobuf message into the JSON Go's encoder writes for the same object.
 *
 * <p>Field names are the proto field names (go-to-protobuf names each field after its JSON tag),
 * but for the few {@link GoJsonFields#jsonName} corrects. Nested messages that are on the wire
 * become objects even when empty, as Go writes non-pointer structs ({@code "status":{}}); inline
 * structs are merged into their parent; scalars follow {@link GoJsonFields}; maps become objects;
 * bytes become base64; the apimachinery types in {@link SpecialTypes} take their own forms.
 */
final class MessageToJson {
  private MessageToJson() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static ObjectNode object(Message message) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      Object value = entry.getValue();
      String name = GoJsonFields.jsonName(field);
      try {
        if (field.isMapField()) {
          out.set(name, map(field, (List<?>) value));
        } else if (field.isRepeated()) {
          ArrayNode array = out.putArray(name);
          for (Object item : (List<?>) value) {
            array.add(value(field, item));
          }
        } else if (GoJsonFields.isInline(field)) {
          out.setAll(object((Message) value));
        } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            || !isZero(value)
            || GoJsonFields.keepsZero(field)) {
          out.set(name, value(field, value));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static ObjectNode map(FieldDescriptor field, List<?> entries) {
    FieldDescriptor key = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor value = field.getMessageType().findFieldByNumber(2);
    ObjectNode out = NODES.objectNode();
    for (Object item : entries) {
      Message entry = (Message) item;
      out.set(String.valueOf(entry.getField(key)), value(value, entry.getField(value)));
    }
    return out;
  }

  private static JsonNode value(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case MESSAGE -> {
        Message message = (Message) value;
        yield SpecialTypes.isSpecial(message.getDescriptorForType())
            ? SpecialTypes.toJson(message)
            : object(message);
      }
      case STRING -> NODES.textNode((String) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case INT -> NODES.numberNode((Integer) value);
      case LONG -> number((Long) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case BYTE_STRING ->
          NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> NODES.textNode(value.toString());
    };
  }

  /** An int64 that fits an int becomes an int node, as Jackson reads the same JSON number. */
  private static JsonNode number(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  private static boolean isZero(Object value) {
    return switch (value) {
      case String s -> s.isEmpty();
      case Boolean b -> !b;
      case Number n -> n.doubleValue() == 0;
      case ByteString bytes -> bytes.isEmpty();
      default -> false;
    };
  }
}
