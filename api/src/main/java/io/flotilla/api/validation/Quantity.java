package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes resource quantity ("100m", "1.5Gi", "2e3", "128974848"): an exact decimal value and
 * the suffix family it was written in, which decides its canonical form. Values are kept with at
 * most nine decimal places (nano); finer values are rounded away from zero, as upstream does.
 * Immutable and thread-safe.
 *
 * @param value the amount, such as 0.1 for "100m" and 1073741824 for "1Gi"
 * @param format the suffix family used when printing
 */
public record Quantity(BigDecimal value, Format format) implements Comparable<Quantity> {

  /** The suffix families: decimal SI (m, k, M…), binary SI (Ki, Mi…) and decimal exponents. */
  public enum Format {
    DECIMAL_SI,
    BINARY_SI,
    DECIMAL_EXPONENT
  }

  /** Upstream's message for a malformed quantity. */
  public static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

  /** The most decimal places kept: nano. */
  static final int MAX_SCALE = 9;

  /** Beyond this decimal exponent a quantity is refused rather than expanded. */
  private static final int MAX_EXPONENT = 1000;

  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final BigInteger BINARY_STEP = BigInteger.valueOf(1024);
  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

  public Quantity {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(format, "format");
    if (value.scale() > MAX_SCALE) {
      value = value.setScale(MAX_SCALE, RoundingMode.UP);
    }
  }

  /** Parses a quantity; throws IllegalArgumentException with upstream's message when malformed. */
  public static Quantity parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("quantities must be non-empty");
    }
    int i = 0;
    boolean negative = false;
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      negative = text.charAt(0) == '-';
      i++;
    }
    int numberStart = i;
    int digits = 0;
    boolean dot = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
      i++;
    }
    if (digits == 0) {
      throw new IllegalArgumentException(FORMAT_ERROR);
    }
    String number = text.substring(numberStart, i);
    if (number.endsWith(".")) {
      number = number + "0";
    }
    if (number.startsWith(".")) {
      number = "0" + number;
    }
    BigDecimal amount = new BigDecimal(number);
    if (negative) {
      amount = amount.negate();
    }
    String suffix = text.substring(i);
    return applySuffix(amount, suffix);
  }

  /** Parses a quantity, or empty when malformed. */
  public static Optional<Quantity> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Parses a quantity written in JSON as a string or a number. */
  public static Quantity fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new IllegalArgumentException("quantities must be non-empty");
    }
    if (node.isNumber()) {
      BigDecimal d = node.decimalValue();
      return new Quantity(d.signum() == 0 ? BigDecimal.ZERO : d, Format.DECIMAL_SI);
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(FORMAT_ERROR);
    }
    return parse(node.textValue());
  }

  /** A quantity of {@code milli} thousandths, printed in decimal SI. */
  public static Quantity ofMilli(long milli) {
    return new Quantity(BigDecimal.valueOf(milli, 3), Format.DECIMAL_SI);
  }

  private static Quantity applySuffix(BigDecimal amount, String suffix) {
    switch (suffix) {
      case "":
        return new Quantity(amount, Format.DECIMAL_SI);
      case "n":
        return new Quantity(amount.scaleByPowerOfTen(-9), Format.DECIMAL_SI);
      case "u":
        return new Quantity(amount.scaleByPowerOfTen(-6), Format.DECIMAL_SI);
      case "m":
        return new Quantity(amount.scaleByPowerOfTen(-3), Format.DECIMAL_SI);
      case "k":
        return new Quantity(amount.scaleByPowerOfTen(3), Format.DECIMAL_SI);
      case "M":
        return new Quantity(amount.scaleByPowerOfTen(6), Format.DECIMAL_SI);
      case "G":
        return new Quantity(amount.scaleByPowerOfTen(9), Format.DECIMAL_SI);
      case "T":
        return new Quantity(amount.scaleByPowerOfTen(12), Format.DECIMAL_SI);
      case "P":
        return new Quantity(amount.scaleByPowerOfTen(15), Format.DECIMAL_SI);
      case "E":
        return new Quantity(amount.scaleByPowerOfTen(18), Format.DECIMAL_SI);
      default:
        break;
    }
    for (int k = 1; k < BINARY_SUFFIXES.length; k++) {
      if (suffix.equals(BINARY_SUFFIXES[k])) {
        BigDecimal factor = new BigDecimal(BINARY_STEP.pow(k));
        return new Quantity(amount.multiply(factor), Format.BINARY_SI);
      }
    }
    if (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E') {
      String exp = suffix.substring(1);
      if (exp.matches("[-+]?[0-9]{1,9}")) {
        int e = Integer.parseInt(exp.startsWith("+") ? exp.substring(1) : exp);
        if (Math.abs(e) <= MAX_EXPONENT) {
          return new Quantity(amount.scaleByPowerOfTen(e), Format.DECIMAL_EXPONENT);
        }
      }
    }
    if (suffix.matches("[eEinumkKMGTP]*[-+]?[0-9]*")) {
      throw new IllegalArgumentException("unable to parse quantity's suffix");
    }
    throw new IllegalArgumentException(FORMAT_ERROR);
  }

  public int signum() {
    return value.signum();
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  /** The value in thousandths, rounded up (toward positive infinity), as upstream's MilliValue. */
  public long milliValue() {
    return value.scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The value rounded up to a whole number, as upstream's Value. */
  public long longValue() {
    return value.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public Quantity add(Quantity other) {
    return new Quantity(value.add(other.value), format);
  }

  public Quantity subtract(Quantity other) {
    return new Quantity(value.subtract(other.value), format);
  }

  @Override
  public int compareTo(Quantity other) {
    return value.compareTo(other.value);
  }

  /** Equal amounts are equal whatever their format: 1Ki equals 1024. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && value.compareTo(q.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.stripTrailingZeros().hashCode();
  }

  /** The canonical form, as upstream prints it: "100m", "1536Mi", "1500", "15k", "1e3". */
  @Override
  public String toString() {
    if (value.signum() == 0) {
      return "0";
    }
    Format f = format;
    if (f == Format.BINARY_SI
        && (value.abs().compareTo(BigDecimal.valueOf(1024)) < 0 || !isWhole(value))) {
      // Small or fractional binary amounts have no exact binary suffix: print them in decimal.
      f = Format.DECIMAL_SI;
    }
    if (f == Format.BINARY_SI) {
      BigInteger n = value.toBigIntegerExact();
      int k = 0;
      while (k + 1 < BINARY_SUFFIXES.length && n.mod(BINARY_STEP).signum() == 0) {
        n = n.divide(BINARY_STEP);
        k++;
      }
      return n + BINARY_SUFFIXES[k];
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    // Lower the exponent to a multiple of three so that an SI suffix (or e3, e6…) fits.
    while (Math.floorMod(exponent, 3) != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN);
      exponent--;
    }
    if (f == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    if (exponent > 18) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow(exponent - 18));
      exponent = 18;
    }
    return mantissa + decimalSuffix(exponent);
  }

  private static String decimalSuffix(int exponent) {
    return switch (exponent) {
      case -9 -> "n";
      case -6 -> "u";
      case -3 -> "m";
      case 0 -> "";
      case 3 -> "k";
      case 6 -> "M";
      case 9 -> "G";
      case 12 -> "T";
      case 15 -> "P";
      case 18 -> "E";
      default -> throw new IllegalStateException("no SI suffix for exponent " + exponent);
    };
  }

  private static boolean isWhole(BigDecimal d) {
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }
}
