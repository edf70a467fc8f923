package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.FieldError;
import java.util.Collection;
import java.util.List;

/**
 * Field errors beyond the contract's factories, worded as upstream's field.Error. Also collects the
 * errors of one validation run, so that checks read as one line each.
 */
final class Errors {
  private final java.util.ArrayList<FieldError> list = new java.util.ArrayList<>();

  List<FieldError> list() {
    return List.copyOf(list);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }

  Errors add(FieldError e) {
    list.add(e);
    return this;
  }

  Errors addAll(Collection<FieldError> errors) {
    list.addAll(errors);
    return this;
  }

  Errors required(String field) {
    return add(FieldError.required(field));
  }

  Errors required(String field, String detail) {
    return add(
        new FieldError(
            "FieldValueRequired",
            field,
            detail.isEmpty() ? "Required value" : "Required value: " + detail));
  }

  Errors invalid(String field, Object value, String detail) {
    return add(FieldError.invalid(field, plain(value), detail));
  }

  /** One FieldValueInvalid per message, as upstream reports a name check's failures. */
  Errors invalidEach(String field, Object value, List<String> messages) {
    messages.forEach(m -> invalid(field, value, m));
    return this;
  }

  Errors notSupported(String field, Object value, Collection<String> allowed) {
    return add(FieldError.notSupported(field, plain(value), allowed));
  }

  Errors forbidden(String field, String detail) {
    return add(FieldError.forbidden(field, detail));
  }

  Errors duplicate(String field, Object value) {
    return add(FieldError.duplicate(field, plain(value)));
  }

  Errors tooLong(String field, long max) {
    return add(
        new FieldError(
            "FieldValueTooLong", field, "Too long: may not be more than " + max + " bytes"));
  }

  Errors tooMany(String field, int actual, int max) {
    return add(
        new FieldError(
            "FieldValueTooMany",
            field,
            "Too many: " + actual + ": must have at most " + max + " items"));
  }

  Errors typeInvalid(String field, Object value, String detail) {
    return add(
        new FieldError(
            "FieldValueTypeInvalid",
            field,
            "Invalid value: " + quoted(plain(value)) + ": " + detail));
  }

  /** A JSON value as upstream would print it: strings quoted, numbers bare. */
  static Object plain(Object value) {
    if (value instanceof JsonNode n) {
      if (n.isTextual()) {
        return n.textValue();
      }
      if (n.isIntegralNumber()) {
        return n.longValue();
      }
      if (n.isMissingNode() || n.isNull()) {
        return "null";
      }
      return n.toString();
    }
    return value;
  }

  private static String quoted(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
