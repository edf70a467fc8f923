package io.flotilla.node.runtime.simulated;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every simulated node in one process shares: the clock, the timer thread that ends containers
 * whose exit-after has come, the id sequence, and the image digests. Thread-safe; owns nothing it
 * must close (the caller owns the timer executor).
 */
public final class SimulatedHost {
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<String, String> imageRefs = new ConcurrentHashMap<>();

  public SimulatedHost(Clock clock, ScheduledExecutorService timers) {
    this.clock = clock;
    this.timers = timers;
  }

  public Clock clock() {
    return clock;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  /** A new 16-hex-digit id, unique in this process. */
  String nextId() {
    return String.format("%016x", ids.incrementAndGet() * 0x9E3779B97F4A7C15L);
  }

  /** The simulated digest of an image name ({@code sha256:…} of its name), computed once each. */
  String imageRef(String image) {
    return imageRefs.computeIfAbsent(
        image,
        i -> {
          try {
            byte[] d =
                MessageDigest.getInstance("SHA-256").digest(i.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
