package io.flotilla.node.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a streaming protocol (WebSocket channels, SPDY streams) offers an {@link ExecBridge}. */
interface StreamWire {
  int STDOUT = 1;
  int STDERR = 2;

  /** Sends bytes on stdout or stderr; blocks until written; false when the client is gone. */
  boolean send(int stream, byte[] data, int length);

  /** Sends the final Status (the protocol decides how) and ends the connection. */
  void finish(ObjectNode status);
}
