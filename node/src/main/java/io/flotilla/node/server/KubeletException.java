package io.flotilla.node.server;

/** A request the kubelet server refuses: the HTTP code and the Status message to answer with. */
final class KubeletException extends RuntimeException {
  final int code;

  KubeletException(int code, String message) {
    super(message);
    this.code = code;
  }
}
