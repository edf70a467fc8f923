package io.flotilla.node.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.node.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pumps one exec or attach session between the runtime's {@link StreamSession} and a client's
 * protocol ({@link StreamWire}): stdout and stderr to the client, the client's stdin and terminal
 * sizes to the session, and at the end the Status upstream sends (Success, or NonZeroExitCode with
 * the exit code; attach always ends with Success).
 *
 * <p>Threading: {@link #start} opens the session and starts daemon platform threads (a blocking
 * pipe read pins a virtual thread): one per output stream, one writing stdin (so the event loop
 * never blocks on a pipe) and one waiting for the exit. The {@code stdin*}, {@link #resize} and
 * {@link #clientGone} methods are called from the event loop.
 */
final class ExecBridge {
  private static final Logger LOG = LoggerFactory.getLogger(ExecBridge.class);
  private static final byte[] EOF = new byte[0];

  private final Supplier<StreamSession> opener;
  private final List<String> command;
  private final StreamWire wire;
  private final LinkedBlockingQueue<Object> stdin = new LinkedBlockingQueue<>();
  private volatile StreamSession session;
  private volatile boolean gone;

  /**
   * @param command the exec'd command (for the exit Status), or null for attach
   */
  ExecBridge(Supplier<StreamSession> opener, List<String> command, StreamWire wire) {
    this.opener = opener;
    this.command = command;
    this.wire = wire;
  }

  void start() {
    Thread.ofPlatform().daemon().name("flotilla-kubelet-exec").start(this::run);
  }

  private void run() {
    StreamSession s;
    try {
      s = opener.get();
    } catch (RuntimeException e) {
      wire.finish(Statuses.failure(500, "error executing command in container: " + e.getMessage()));
      return;
    }
    session = s;
    if (gone) {
      s.close();
      return;
    }
    Thread out = pump(s.stdout(), StreamWire.STDOUT);
    Thread err = pump(s.stderr(), StreamWire.STDERR);
    Thread.ofPlatform()
        .daemon()
        .name("flotilla-kubelet-stdin")
        .start(() -> writeStdin(s, s.stdin()));
    int code;
    try {
      code = s.exit().join();
      join(out);
      join(err);
    } catch (RuntimeException e) {
      s.close();
      wire.finish(Statuses.failure(500, "error executing command in container: " + e.getMessage()));
      return;
    }
    s.close();
    stdin.offer(EOF);
    ObjectNode status =
        command == null || code == 0 ? Statuses.success() : Statuses.exitCode(command, code);
    wire.finish(status);
  }

  private Thread pump(InputStream in, int stream) {
    if (in == null) {
      return null;
    }
    return Thread.ofPlatform()
        .daemon()
        .name("flotilla-kubelet-out")
        .start(
            () -> {
              byte[] buf = new byte[32 * 1024];
              try (in) {
                int n;
                while ((n = in.read(buf)) != -1) {
                  if (n > 0 && !wire.send(stream, buf, n)) {
                    break;
                  }
                }
              } catch (IOException e) {
                // The session ended; its exit says how.
              }
            });
  }

  /** Writes stdin and applies resizes in the order they came (a size set before input is read). */
  private void writeStdin(StreamSession s, OutputStream to) {
    boolean open = to != null;
    try {
      while (true) {
        Object o = stdin.take();
        if (o == EOF) {
          if (!open) {
            break;
          }
          open = false;
          to.close();
          if (s.exit().isDone()) {
            break;
          }
        } else if (o instanceof int[] size) {
          s.resize(size[0], size[1]);
        } else if (open) {
          to.write((byte[]) o);
          to.flush();
        }
        if (s.exit().isDone() && stdin.isEmpty()) {
          break;
        }
      }
    } catch (IOException e) {
      LOG.debug("stdin of an exec session: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        if (to != null) {
          to.close();
        }
      } catch (IOException e) {
        // Already closed by the process's end.
      }
    }
  }

  void stdin(byte[] data) {
    if (data.length > 0) {
      stdin.offer(data);
    }
  }

  /** The client closed its stdin: EOF reaches the process. */
  void stdinEof() {
    stdin.offer(EOF);
  }

  /** A terminal size message, {@code {"Width":80,"Height":24}}. */
  void resize(byte[] json) {
    try {
      JsonNode n = Statuses.JSON.readTree(json);
      stdin.offer(new int[] {n.path("Width").asInt(), n.path("Height").asInt()});
    } catch (IOException e) {
      LOG.debug("ignoring a resize message that is not JSON: {}", e.getMessage());
    }
  }

  /** The client went away: the session ends (an exec'd process is killed). */
  void clientGone() {
    gone = true;
    stdin.offer(EOF);
    StreamSession s = session;
    if (s != null) {
      s.close();
    }
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(java.time.Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
