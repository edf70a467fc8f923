package io.flotilla.store;

/** The request was malformed (empty key, oversize value, negative limit …); nothing changed. */
public class InvalidRequestException extends StoreException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
