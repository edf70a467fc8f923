package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An attach session with a process-runtime container: the container's output lines from now on
 * (stderr merged into stdout with a terminal, as upstream), and its stdin when it was created with
 * {@code stdin: true}. Closing the session detaches; the container goes on. There is no terminal:
 * the process's output is a pipe, so {@link #resize} does nothing.
 *
 * <p>Threading: the container's log pumps call {@link #output}; the exit waiter calls {@link
 * #ended}; the client side reads and writes from its own threads.
 */
final class AttachSession implements StreamSession {
  private final StreamOptions options;
  private final OutputStream containerStdin;
  private final Consumer<AttachSession> detach;
  private final BytePipe out = new BytePipe();
  private final BytePipe err = new BytePipe();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  AttachSession(
      StreamOptions options, OutputStream containerStdin, Consumer<AttachSession> detach) {
    this.options = options;
    this.containerStdin = containerStdin;
    this.detach = detach;
  }

  void output(String stream, byte[] bytes) {
    boolean stderr = stream.equals("stderr");
    if (stderr && options.stderr()) {
      err.offer(bytes);
    } else if (options.stdout() && (!stderr || options.tty())) {
      out.offer(bytes);
    }
  }

  void ended(int code) {
    out.end();
    err.end();
    exit.complete(code);
  }

  @Override
  public OutputStream stdin() {
    if (containerStdin == null) {
      return null;
    }
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        containerStdin.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        containerStdin.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        containerStdin.flush();
      }

      @Override
      public void close() {
        // Detaching leaves the container's stdin open (stdinOnce is not supported).
      }
    };
  }

  @Override
  public InputStream stdout() {
    return options.stdout() ? out : null;
  }

  @Override
  public InputStream stderr() {
    return options.stderr() ? err : null;
  }

  @Override
  public void resize(int width, int height) {}

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    detach.accept(this);
    ended(0);
  }
}
