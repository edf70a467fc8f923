package io.flotilla.api;

/**
 * One validation problem, as a Kubernetes StatusCause.
 *
 * @param type the cause type: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported,
 *     FieldValueDuplicate, FieldValueTooLong, FieldValueForbidden, FieldValueTypeInvalid
 * @param field the path of the field at fault, as "spec.containers[0].image"
 * @param message what is wrong and what is expected
 */
public record FieldError(String type, String field, String message) {
  public static FieldError required(String field) {
    return new FieldError("FieldValueRequired", field, "Required value");
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(
        "FieldValueInvalid", field, "Invalid value: " + quote(value) + ": " + detail);
  }

  public static FieldError notSupported(
      String field, Object value, java.util.Collection<String> allowed) {
    return new FieldError(
        "FieldValueNotSupported",
        field,
        "Unsupported value: "
            + quote(value)
            + ": supported values: "
            + String.join(", ", allowed.stream().map(FieldError::quote).toList()));
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError("FieldValueForbidden", field, "Forbidden: " + detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError("FieldValueDuplicate", field, "Duplicate value: " + quote(value));
  }

  private static String quote(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
