package io.flotilla.api.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.flotilla.api.protobuf.ProtobufDecodeException.Reason;
import io.kubernetes.client.proto.Runtime;
import java.util.HexFormat;

/**
 * Request and response bodies in Kubernetes' protobuf encoding ({@code
 * application/vnd.kubernetes.protobuf}), which kubectl's typed clients send for built-in kinds and
 * never retry as JSON.
 *
 * <p>A body is the magic {@code 6b 38 73 00} ("k8s\0") followed by a {@code runtime.Unknown} whose
 * {@code typeMeta} names apiVersion and kind and whose {@code raw} holds the kind's k8s.io/api
 * message. Decoding yields the JSON tree kubectl would have sent for the same object (the field
 * order aside), so the apiserver handles both encodings alike. Stateless and thread-safe.
 */
public final class ProtobufBodies {
  private ProtobufBodies() {}

  /** The media type of protobuf bodies. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
  private static final Descriptor UNKNOWN =
      Runtime.getDescriptor().findMessageTypeByName("Unknown");
  private static final Descriptor TYPE_META =
      Runtime.getDescriptor().findMessageTypeByName("TypeMeta");

  /**
   * Decodes a Kubernetes protobuf request body into the JSON tree the apiserver handles (apiVersion
   * and kind set from the envelope). Throws ProtobufDecodeException with a clear message (unknown
   * kind, bad magic, malformed) — the apiserver answers those with 415/400.
   */
  public static ObjectNode decode(byte[] body) {
    checkMagic(body);
    Message envelope = parse(UNKNOWN, body, MAGIC.length, "the runtime.Unknown envelope");
    Message typeMeta = (Message) envelope.getField(field(UNKNOWN, "typeMeta"));
    String apiVersion = (String) typeMeta.getField(field(TYPE_META, "apiVersion"));
    String kind = (String) typeMeta.getField(field(TYPE_META, "kind"));
    if (kind.isEmpty()) {
      throw new ProtobufDecodeException(
          Reason.MALFORMED,
          "the protobuf envelope names no kind (apiVersion \"" + apiVersion + "\")");
    }
    checkEncoding(envelope, apiVersion, kind);
    Descriptor type =
        ProtobufKinds.find(apiVersion, kind)
            .orElseThrow(
                () ->
                    new ProtobufDecodeException(
                        Reason.UNKNOWN_KIND,
                        "no protobuf schema for apiVersion \""
                            + apiVersion
                            + "\" kind \""
                            + kind
                            + "\"; send it as application/json"));
    ByteString raw = (ByteString) envelope.getField(field(UNKNOWN, "raw"));
    String what = "the " + apiVersion + " " + kind;
    Message message = parse(type, raw.toByteArray(), 0, what);
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("kind", kind);
    object.put("apiVersion", apiVersion);
    try {
      object.setAll(MessageToJson.object(message));
    } catch (IllegalArgumentException e) {
      throw new ProtobufDecodeException(
          Reason.MALFORMED, what + " is malformed: " + e.getMessage(), e);
    }
    return object;
  }

  /**
   * Whether the kind is decodable. DeleteOptions is decodable under any apiVersion: every
   * group-version registers it and typed clients name their own.
   */
  public static boolean supports(String apiVersion, String kind) {
    return ProtobufKinds.find(apiVersion, kind).isPresent();
  }

  /**
   * Encodes a JSON object into the protobuf envelope (for tests, and later for answering protobuf
   * Accept if we want). Throws IllegalArgumentException if the kind has no protobuf schema or a
   * field does not fit it.
   */
  public static byte[] encode(ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    Descriptor type =
        ProtobufKinds.find(apiVersion, kind)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no protobuf schema for apiVersion \""
                            + apiVersion
                            + "\" kind \""
                            + kind
                            + "\""));
    ObjectNode fields = object.deepCopy();
    fields.remove("apiVersion");
    fields.remove("kind");
    Message message;
    try {
      message = JsonToMessage.message(fields, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot encode " + apiVersion + " " + kind + ": " + e.getMessage(), e);
    }
    Message typeMeta =
        DynamicMessage.newBuilder(TYPE_META)
            .setField(field(TYPE_META, "apiVersion"), apiVersion)
            .setField(field(TYPE_META, "kind"), kind)
            .build();
    // Go writes the empty contentEncoding and contentType too; so do we, byte for byte.
    Message envelope =
        DynamicMessage.newBuilder(UNKNOWN)
            .setField(field(UNKNOWN, "typeMeta"), typeMeta)
            .setField(field(UNKNOWN, "raw"), message.toByteString())
            .setField(field(UNKNOWN, "contentEncoding"), "")
            .setField(field(UNKNOWN, "contentType"), "")
            .build();
    byte[] payload = envelope.toByteArray();
    byte[] body = new byte[MAGIC.length + payload.length];
    System.arraycopy(MAGIC, 0, body, 0, MAGIC.length);
    System.arraycopy(payload, 0, body, MAGIC.length, payload.length);
    return body;
  }

  private static void checkMagic(byte[] body) {
    if (body == null || body.length < MAGIC.length) {
      int length = body == null ? 0 : body.length;
      throw new ProtobufDecodeException(
          Reason.BAD_MAGIC,
          "protobuf body of "
              + length
              + " bytes is too short for the magic prefix 6b387300 (\"k8s\\0\")");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        throw new ProtobufDecodeException(
            Reason.BAD_MAGIC,
            "protobuf body does not start with the magic prefix 6b387300 (\"k8s\\0\"): it starts with "
                + HexFormat.of().formatHex(body, 0, MAGIC.length));
      }
    }
  }

  private static void checkEncoding(Message envelope, String apiVersion, String kind) {
    String encoding = (String) envelope.getField(field(UNKNOWN, "contentEncoding"));
    String contentType = (String) envelope.getField(field(UNKNOWN, "contentType"));
    if (!encoding.isEmpty() || !(contentType.isEmpty() || contentType.equals(MEDIA_TYPE))) {
      throw new ProtobufDecodeException(
          Reason.UNSUPPORTED_ENCODING,
          "the protobuf envelope of "
              + apiVersion
              + " "
              + kind
              + " has contentEncoding \""
              + encoding
              + "\" and contentType \""
              + contentType
              + "\"; only unencoded "
              + MEDIA_TYPE
              + " is supported");
    }
  }

  private static Message parse(Descriptor type, byte[] bytes, int offset, String what) {
    try {
      return DynamicMessage.parseFrom(
          type, ByteString.copyFrom(bytes, offset, bytes.length - offset));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufDecodeException(
          Reason.MALFORMED, what + " in the protobuf body is malformed: " + e.getMessage(), e);
    }
  }

  private static FieldDescriptor field(Descriptor type, String name) {
    return type.findFieldByName(name);
  }
}
