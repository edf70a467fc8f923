package io.flotilla.api.patch;

/**
 * A patch that could not be applied. {@link Reason#MALFORMED} means the patch document itself is
 * not a patch of its type (the apiserver answers 400 Bad Request); {@link Reason#UNPROCESSABLE}
 * means it is well formed but cannot be applied to this object (422 Unprocessable Entity).
 */
public final class PatchException extends RuntimeException {
  /** Why a patch failed, which decides the HTTP status the apiserver answers with. */
  public enum Reason {
    MALFORMED(400),
    UNPROCESSABLE(422);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  public PatchException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  static PatchException malformed(String message) {
    return new PatchException(Reason.MALFORMED, message);
  }

  static PatchException unprocessable(String message) {
    return new PatchException(Reason.UNPROCESSABLE, message);
  }

  public Reason reason() {
    return reason;
  }
}
