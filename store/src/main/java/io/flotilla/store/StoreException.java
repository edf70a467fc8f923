package io.flotilla.store;

/** The root of every error a {@link Store} reports. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Unwraps the store error from a future's completion exception, or null when it is another. */
  public static StoreException of(Throwable t) {
    while (t != null) {
      if (t instanceof StoreException se) {
        return se;
      }
      t = t.getCause();
    }
    return null;
  }
}
