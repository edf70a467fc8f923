package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Taint/toleration matching as in Kubernetes. */
public final class Tolerations {
  private Tolerations() {}

  /**
   * A toleration matches a taint when the effects agree (an empty effect matches all), the keys
   * agree (an empty key with Exists matches every key), and the operator holds (Exists, or Equal /
   * unset with equal values).
   */
  public static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null
        && !t.getEffect().isEmpty()
        && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = t.getKey() == null ? "" : t.getKey();
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    if (key.isEmpty()) {
      return "Exists".equals(op);
    }
    if (!key.equals(taint.getKey())) {
      return false;
    }
    return switch (op) {
      case "Exists" -> true;
      case "Equal" -> nullToEmpty(t.getValue()).equals(nullToEmpty(taint.getValue()));
      default -> false;
    };
  }

  public static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    if (tolerations == null) {
      return false;
    }
    for (Toleration t : tolerations) {
      if (tolerates(t, taint)) {
        return true;
      }
    }
    return false;
  }

  /** The first NoSchedule/NoExecute taint none of the tolerations tolerates, or null. */
  public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint taint : taints) {
      String effect = taint.getEffect();
      if (("NoSchedule".equals(effect) || "NoExecute".equals(effect))
          && !tolerates(tolerations, taint)) {
        return taint;
      }
    }
    return null;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
