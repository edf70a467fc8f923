package io.flotilla.node.runtime.cri.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An exec or attach session over SPDY with the remote-command protocol {@code v4.channel.k8s.io}
 * (kubelet's {@code remotecommand} package, which containerd's streaming server copies): one stream
 * each for error, stdin, stdout, stderr and (with a terminal) resize, opened in that order as
 * kubectl does. The server writes a {@code metav1.Status} on the error stream when the process
 * ends: {@code Success}, or {@code Failure} with reason {@code NonZeroExitCode} and a cause {@code
 * ExitCode} carrying the code; any other failure is the error the session's exit future fails with.
 *
 * <p>Threading: see {@link StreamSession}; the exit future completes on the event loop (or, with
 * {@code exitCodeLookup}, on the thread that looks the code up).
 */
public final class RemoteCommandSession implements StreamSession {
  /** The remote-command protocol: v4 carries exit codes in a JSON Status. */
  public static final String PROTOCOL = "v4.channel.k8s.io";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SpdyConnection connection;
  private final SpdyStream stdin;
  private final SpdyStream stdout;
  private final SpdyStream stderr;
  private final SpdyStream resize;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private RemoteCommandSession(
      SpdyConnection connection,
      SpdyStream stdin,
      SpdyStream stdout,
      SpdyStream stderr,
      SpdyStream resize) {
    this.connection = connection;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.resize = resize;
  }

  /**
   * Opens the streams {@code options} asks for on an upgraded connection. {@code exitCodeLookup}
   * replaces a {@code Success} status's code 0 (attach reports the container's exit code); null for
   * exec.
   */
  public static RemoteCommandSession start(
      SpdyConnection connection, StreamOptions options, ExitCodeLookup exitCodeLookup) {
    if (!PROTOCOL.equals(connection.protocol())) {
      connection.close();
      throw new UncheckedIOException(
          new IOException(
              "the runtime's streaming server chose protocol '"
                  + connection.protocol()
                  + "', expected "
                  + PROTOCOL));
    }
    SpdyStream error = connection.openStream(Map.of("streamtype", "error"));
    SpdyStream in = options.stdin() ? connection.openStream(Map.of("streamtype", "stdin")) : null;
    SpdyStream out =
        options.stdout() ? connection.openStream(Map.of("streamtype", "stdout")) : null;
    SpdyStream err =
        options.stderr() ? connection.openStream(Map.of("streamtype", "stderr")) : null;
    SpdyStream size = options.tty() ? connection.openStream(Map.of("streamtype", "resize")) : null;
    RemoteCommandSession session = new RemoteCommandSession(connection, in, out, err, size);
    // The status arrives before the server closes the error stream (or, at worst, the
    // connection); a session closed before it ends as detached.
    CompletableFuture.anyOf(error.remoteEnded(), connection.closed())
        .thenRun(() -> session.finish(readAll(error.input()), exitCodeLookup));
    return session;
  }

  /** Looks up a container's exit code after an attach session ended; 0 while it still runs. */
  @FunctionalInterface
  public interface ExitCodeLookup {
    int exitCode();
  }

  @Override
  public OutputStream stdin() {
    return stdin == null ? null : stdin.output();
  }

  @Override
  public InputStream stdout() {
    return stdout == null ? null : stdout.input();
  }

  @Override
  public InputStream stderr() {
    return stderr == null ? null : stderr.input();
  }

  @Override
  public void resize(int width, int height) {
    if (resize == null) {
      return;
    }
    byte[] size =
        JSON.createObjectNode()
            .put("Width", width)
            .put("Height", height)
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    try {
      resize.output().write(size);
    } catch (IOException e) {
      // The session is over; a late resize has nothing to resize.
    }
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    connection.close();
  }

  private void finish(byte[] status, ExitCodeLookup lookup) {
    try {
      int code = exitCode(status);
      if (code == 0 && lookup != null) {
        Thread.ofVirtual().start(() -> completeWithLookup(lookup));
      } else {
        exit.complete(code);
      }
    } catch (RuntimeException e) {
      exit.completeExceptionally(e);
    }
  }

  private void completeWithLookup(ExitCodeLookup lookup) {
    try {
      exit.complete(lookup.exitCode());
    } catch (RuntimeException e) {
      exit.complete(0);
    }
  }

  /**
   * The exit code in a v4 status document: 0 for {@code Success} or no status at all (the session
   * ended without one: detached or closed), the {@code ExitCode} cause of a {@code NonZeroExitCode}
   * failure.
   *
   * @throws IllegalStateException for any other failure, with the runtime's message
   */
  static int exitCode(byte[] status) {
    if (status.length == 0) {
      return 0;
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(status);
    } catch (IOException e) {
      throw new IllegalStateException(
          "the runtime reported: " + new String(status, StandardCharsets.UTF_8).trim());
    }
    if ("Success".equals(doc.path("status").asText())) {
      return 0;
    }
    if ("NonZeroExitCode".equals(doc.path("reason").asText())) {
      for (JsonNode cause : doc.path("details").path("causes")) {
        if ("ExitCode".equals(cause.path("reason").asText())) {
          try {
            return Integer.parseInt(cause.path("message").asText());
          } catch (NumberFormatException e) {
            break;
          }
        }
      }
    }
    throw new IllegalStateException(
        "the runtime reported: " + doc.path("message").asText(doc.toString()));
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
