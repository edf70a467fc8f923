package io.flotilla.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compute-resource arithmetic as upstream's quota evaluators: a pod's requests or limits of one
 * resource are the sum over its containers, but at least the largest init container's, plus its
 * overhead; quantities are written back the way the API writes them. Stateless.
 */
final class Usage {
  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  private Usage() {}

  /** {@code kind} is "requests" or "limits"; {@code resource} is e.g. "cpu" or "memory". */
  static BigDecimal pod(Pod p, String kind, String resource) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Container c : p.getSpec().getContainers()) {
      sum = sum.add(amount(c, kind, resource));
    }
    for (Container c :
        p.getSpec().getInitContainers() == null
            ? List.<Container>of()
            : p.getSpec().getInitContainers()) {
      BigDecimal init = amount(c, kind, resource);
      sum = init.compareTo(sum) > 0 ? init : sum;
    }
    if (p.getSpec().getOverhead() != null && p.getSpec().getOverhead().get(resource) != null) {
      sum = sum.add(p.getSpec().getOverhead().get(resource).getNumericalAmount());
    }
    return sum;
  }

  private static BigDecimal amount(Container c, String kind, String resource) {
    if (c.getResources() == null) {
      return BigDecimal.ZERO;
    }
    Map<String, Quantity> m =
        "requests".equals(kind) ? c.getResources().getRequests() : c.getResources().getLimits();
    if ((m == null || m.get(resource) == null)
        && "requests".equals(kind)
        && c.getResources().getLimits() != null) {
      m = c.getResources().getLimits(); // requests default to limits
    }
    return m == null || m.get(resource) == null
        ? BigDecimal.ZERO
        : m.get(resource).getNumericalAmount();
  }

  /** Formats an amount of {@code resource}: CPU in cores or millicores, bytes in binary units. */
  static String format(String resource, BigDecimal v) {
    if (v.signum() == 0) {
      return "0";
    }
    if (resource.endsWith("cpu")) {
      BigDecimal milli = v.multiply(BigDecimal.valueOf(1000));
      if (v.stripTrailingZeros().scale() <= 0) {
        return v.toBigInteger().toString();
      }
      return milli.setScale(0, java.math.RoundingMode.CEILING).toBigInteger() + "m";
    }
    if (v.stripTrailingZeros().scale() > 0) {
      return v.stripTrailingZeros().toPlainString();
    }
    String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    BigDecimal x = v;
    int u = 0;
    while (u < units.length - 1 && x.remainder(KI).signum() == 0) {
      x = x.divide(KI);
      u++;
    }
    return x.toBigInteger() + units[u];
  }

  static Map<String, Quantity> quantities(Map<String, String> in) {
    Map<String, Quantity> out = new HashMap<>();
    in.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }
}
