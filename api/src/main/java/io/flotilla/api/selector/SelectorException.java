package io.flotilla.api.selector;

/** A label or field selector that cannot be parsed; the message says what and where. */
public final class SelectorException extends IllegalArgumentException {
  public SelectorException(String message) {
    super(message);
  }
}
