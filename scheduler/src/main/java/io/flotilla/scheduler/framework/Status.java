package io.flotilla.scheduler.framework;

import java.util.List;

/**
 * The coded result of one plugin call: a {@link Code}, the reasons a user reads in the
 * FailedScheduling event, and the plugin that produced it (set by the runtime).
 */
public record Status(Code code, List<String> reasons, String plugin, Throwable cause) {

  private static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "", null);
  private static final Status SKIP = new Status(Code.SKIP, List.of(), "", null);

  public Status {
    reasons = List.copyOf(reasons);
    plugin = plugin == null ? "" : plugin;
  }

  /** The shared success value; plugins return it on their hot path, so it must not allocate. */
  public static Status success() {
    return SUCCESS;
  }

  public static Status skip() {
    return SKIP;
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons), "", null);
  }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), "", null);
  }

  public static Status of(Code code, List<String> reasons) {
    return new Status(code, reasons, "", null);
  }

  public static Status error(String message) {
    return new Status(Code.ERROR, List.of(message), "", null);
  }

  public static Status error(Throwable cause) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return new Status(Code.ERROR, List.of(message), "", cause);
  }

  /** The same status attributed to {@code name}; success stays the shared value. */
  public Status withPlugin(String name) {
    if (code == Code.SUCCESS || name.equals(plugin)) {
      return this;
    }
    return new Status(code, reasons, name, cause);
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the node said no, nothing broke. */
  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
  }

  /** The reasons joined as upstream's {@code Status.Message()} does. */
  public String message() {
    return String.join(", ", reasons);
  }
}
