package io.flotilla.apiserver.rest;

import java.util.List;
import java.util.Map;

/**
 * What a handler answers: a whole body, a stream of watch events, or a call relayed to a node's
 * kubelet.
 */
public sealed interface Reply permits Reply.Full, Reply.Stream, Reply.Relay {

  /** A complete response. */
  record Full(int code, byte[] body, String contentType, Map<String, String> headers)
      implements Reply {}

  /** A watch: the transport (chunked HTTP or WebSocket) starts it and writes what it emits. */
  record Stream(WatchStream stream) implements Reply {}

  /**
   * A request the transport relays to a kubelet at {@code host:port} as {@code pathAndQuery}: a
   * response streamed back as it arrives ({@code upgrade} false, pods/log), or, for an upgrade
   * request (exec, attach, port-forward), the request forwarded and both connections spliced.
   */
  record Relay(String node, String host, int port, String pathAndQuery, boolean upgrade)
      implements Reply {}

  /** A long-running source of watch event lines. */
  interface WatchStream {
    /** Begins emitting; {@code out} is called from any thread, never concurrently. */
    void start(StreamOutput out);

    /** The client went away: release everything. Idempotent. */
    void cancel();

    /** The server is closing: end the stream cleanly so the client sees its end, then release. */
    default void stop() {
      cancel();
    }
  }

  /** Where a watch writes. */
  interface StreamOutput {
    /** One JSON event (without a trailing newline). */
    void event(byte[] json);

    /** The stream ended: close the response. */
    void end();
  }

  static List<String> none() {
    return List.of();
  }
}
