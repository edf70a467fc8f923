package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * A resource vector in integer units: CPU in millicores, memory and ephemeral storage in bytes,
 * pods as a count, every other (extended, hugepages) resource in its own base unit.
 *
 * <p>Mutable because {@link NodeInfo} accumulates into it; a Resource reachable from a {@link
 * PodInfo} is never changed after construction.
 */
public final class Resource {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";

  private long milliCpu;
  private long memory;
  private long ephemeralStorage;
  private long allowedPodNumber;
  private Map<String, Long> scalar;

  public Resource() {}

  public Resource(long milliCpu, long memory) {
    this.milliCpu = milliCpu;
    this.memory = memory;
  }

  /** Parses a requests/allocatable map; quantities are rounded up as Kubernetes does. */
  public static Resource of(Map<String, Quantity> list) {
    Resource r = new Resource();
    if (list != null) {
      for (Map.Entry<String, Quantity> e : list.entrySet()) {
        r.set(e.getKey(), parse(e.getKey(), e.getValue()));
      }
    }
    return r;
  }

  /** One quantity in this class's unit for {@code name} (millicores for cpu). */
  public static long parse(String name, Quantity q) {
    BigDecimal amount = Quantity.getAmountInBytes(q);
    if (CPU.equals(name)) {
      amount = amount.multiply(BigDecimal.valueOf(1000));
    }
    return amount.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public long milliCpu() {
    return milliCpu;
  }

  public long memory() {
    return memory;
  }

  public long ephemeralStorage() {
    return ephemeralStorage;
  }

  public long allowedPodNumber() {
    return allowedPodNumber;
  }

  /** The scalar resources (extended, hugepages) with a value; never null. */
  public Map<String, Long> scalars() {
    return scalar == null ? Map.of() : scalar;
  }

  public long get(String name) {
    return switch (name) {
      case CPU -> milliCpu;
      case MEMORY -> memory;
      case EPHEMERAL_STORAGE -> ephemeralStorage;
      case PODS -> allowedPodNumber;
      default -> scalar == null ? 0 : scalar.getOrDefault(name, 0L);
    };
  }

  public void set(String name, long value) {
    switch (name) {
      case CPU -> milliCpu = value;
      case MEMORY -> memory = value;
      case EPHEMERAL_STORAGE -> ephemeralStorage = value;
      case PODS -> allowedPodNumber = value;
      default -> {
        if (scalar == null) {
          scalar = new HashMap<>(4);
        }
        scalar.put(name, value);
      }
    }
  }

  public void add(Resource other) {
    addScaled(other, 1);
  }

  public void subtract(Resource other) {
    addScaled(other, -1);
  }

  private void addScaled(Resource o, int sign) {
    milliCpu += sign * o.milliCpu;
    memory += sign * o.memory;
    ephemeralStorage += sign * o.ephemeralStorage;
    allowedPodNumber += sign * o.allowedPodNumber;
    if (o.scalar != null) {
      for (Map.Entry<String, Long> e : o.scalar.entrySet()) {
        set(e.getKey(), get(e.getKey()) + sign * e.getValue());
      }
    }
  }

  /** Raises each dimension of this vector to at least {@code o}'s (the init-container rule). */
  public void setMax(Resource o) {
    milliCpu = Math.max(milliCpu, o.milliCpu);
    memory = Math.max(memory, o.memory);
    ephemeralStorage = Math.max(ephemeralStorage, o.ephemeralStorage);
    allowedPodNumber = Math.max(allowedPodNumber, o.allowedPodNumber);
    if (o.scalar != null) {
      for (Map.Entry<String, Long> e : o.scalar.entrySet()) {
        set(e.getKey(), Math.max(get(e.getKey()), e.getValue()));
      }
    }
  }

  /** True when the pod asks for nothing that a node could run out of. */
  public boolean isZero() {
    if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) {
      return false;
    }
    if (scalar != null) {
      for (long v : scalar.values()) {
        if (v != 0) {
          return false;
        }
      }
    }
    return true;
  }

  public Resource copy() {
    Resource r = new Resource(milliCpu, memory);
    r.ephemeralStorage = ephemeralStorage;
    r.allowedPodNumber = allowedPodNumber;
    r.scalar = scalar == null ? null : new HashMap<>(scalar);
    return r;
  }

  @Override
  public String toString() {
    return "Resource{cpu="
        + milliCpu
        + "m, memory="
        + memory
        + ", ephemeral="
        + ephemeralStorage
        + ", pods="
        + allowedPodNumber
        + ", scalar="
        + scalars()
        + "}";
  }
}
