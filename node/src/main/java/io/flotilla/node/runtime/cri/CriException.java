package io.flotilla.node.runtime.cri;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A CRI call that failed: which call, on which object, and the gRPC status code containerd gave (or
 * {@link Status.Code#UNAVAILABLE} when its socket could not be reached). Callers that need CRI's
 * idempotency (a stop or remove of something already gone) test {@link #isNotFound()}.
 */
public final class CriException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Status.Code code;

  CriException(String operation, Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.operation = operation;
    this.code = code;
  }

  /**
   * Turns a gRPC failure into a message that names the call, its target and what to do about it.
   */
  static CriException from(
      String operation, String target, String socket, StatusRuntimeException e) {
    Status status = e.getStatus();
    String what = target.isEmpty() ? operation : operation + " " + target;
    String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
    String message =
        switch (status.getCode()) {
          case UNAVAILABLE ->
              "CRI "
                  + what
                  + " failed: containerd is not answering on unix://"
                  + socket
                  + detail
                  + ". Is containerd running with that socket (its [grpc] address)?";
          case DEADLINE_EXCEEDED ->
              "CRI "
                  + what
                  + " did not finish within its deadline"
                  + detail
                  + "; containerd may be overloaded (see its log), or the deadline is too short.";
          case UNIMPLEMENTED ->
              "CRI "
                  + what
                  + " is not implemented by the runtime on unix://"
                  + socket
                  + detail
                  + "; Flotilla needs a runtime serving CRI runtime.v1 (containerd 1.6 or newer).";
          default -> "CRI " + what + " failed (" + status.getCode() + ")" + detail;
        };
    return new CriException(operation, status.getCode(), message, e);
  }

  /** The CRI call, as named in the RuntimeService or ImageService ({@code "RunPodSandbox"}). */
  public String operation() {
    return operation;
  }

  /** The gRPC status code the runtime answered with. */
  public Status.Code code() {
    return code;
  }

  /** Whether the runtime does not know the sandbox, container or image the call named. */
  public boolean isNotFound() {
    return code == Status.Code.NOT_FOUND;
  }
}
