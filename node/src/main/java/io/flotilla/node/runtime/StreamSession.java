package io.flotilla.node.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One exec or attach session with a container: the agent's streaming server pumps bytes between the
 * client (kubectl, through the API server) and these streams.
 *
 * <p>Threading: each stream is used by one thread at a time (the server reads stdout and stderr on
 * threads of its own and writes stdin from another); {@link #resize} and {@link #close} may be
 * called from any thread. Reads block; an ended process gives end-of-stream.
 */
public interface StreamSession extends AutoCloseable {
  /** Writes to the process's stdin; null when stdin was not requested. Closing it sends EOF. */
  OutputStream stdin();

  /** The process's stdout (with a terminal: the terminal's output); null when not requested. */
  InputStream stdout();

  /** The process's stderr; null when not requested or with a terminal. */
  InputStream stderr();

  /** Resizes the terminal, in character cells; ignored without a terminal. */
  void resize(int width, int height);

  /**
   * Completes with the exit code once the process ends (exec), or once the container exits or the
   * session is closed (attach; then the code is the container's, or 0 when detached).
   */
  CompletableFuture<Integer> exit();

  /** Ends the session: closes the streams; an exec'd process still running is killed. */
  @Override
  void close();
}
