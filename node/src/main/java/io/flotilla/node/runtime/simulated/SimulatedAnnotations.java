package io.flotilla.node.runtime.simulated;

import java.time.Duration;
import java.util.Map;

/**
 * The pod annotations that tell simulated containers how to behave, and the Node annotation that
 * stops a simulated node's heartbeats. Durations are Go-style ({@code 500ms}, {@code 5s}, {@code
 * 1m30s}); a value that does not parse is ignored, as an unknown annotation would be.
 */
public final class SimulatedAnnotations {
  private SimulatedAnnotations() {}

  /** Pod: app containers exit this long after they start. Absent: they run until stopped. */
  public static final String EXIT_AFTER = "simulated.flotilla.io/exit-after";

  /** Pod: the exit code of the containers that exit-after ends (default 0). */
  public static final String EXIT_CODE = "simulated.flotilla.io/exit-code";

  /** Pod: containers turn ready this long after they start (default at once). */
  public static final String READY_AFTER = "simulated.flotilla.io/ready-after";

  /** Node: {@code stopped} halts Lease renewals and status updates for that node. */
  public static final String HEARTBEAT = "simulated.flotilla.io/heartbeat";

  /** The value of {@link #HEARTBEAT} that stops heartbeats. */
  public static final String HEARTBEAT_STOPPED = "stopped";

  /** The duration in annotation {@code key}, or null when absent or unparsable. */
  public static Duration duration(Map<String, String> annotations, String key) {
    String v = annotations == null ? null : annotations.get(key);
    if (v == null) {
      return null;
    }
    try {
      return GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The exit code annotation, 0 when absent or not an integer. */
  public static int exitCode(Map<String, String> annotations) {
    String v = annotations == null ? null : annotations.get(EXIT_CODE);
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether a Node's annotations stop its heartbeats. */
  public static boolean heartbeatStopped(Map<String, String> annotations) {
    return annotations != null && HEARTBEAT_STOPPED.equals(annotations.get(HEARTBEAT));
  }
}
