package io.flotilla.api.protobuf;

/**
 * A protobuf request body Flotilla cannot turn into an object. The {@link Reason} tells the
 * apiserver which status to answer: a kind without a protobuf schema is 415 Unsupported Media Type
 * (the client may resend as JSON), anything else is 400 Bad Request.
 */
public final class ProtobufDecodeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the body was refused. */
  public enum Reason {
    /** The body does not start with the 4-byte Kubernetes protobuf magic. */
    BAD_MAGIC,
    /** The envelope or the embedded message is not valid protobuf, or a field is unreadable. */
    MALFORMED,
    /** The envelope names an apiVersion/kind Flotilla has no protobuf schema for. */
    UNKNOWN_KIND,
    /** The envelope asks for a content encoding or content type Flotilla cannot read. */
    UNSUPPORTED_ENCODING
  }

  private final Reason reason;

  public ProtobufDecodeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ProtobufDecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The HTTP status the apiserver answers with: 415 for an unknown kind, otherwise 400. */
  public int httpStatus() {
    return reason == Reason.UNKNOWN_KIND || reason == Reason.UNSUPPORTED_ENCODING ? 415 : 400;
  }
}
