package io.flotilla.node.runtime.cri.streaming;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One client-initiated stream of a {@link SpdyConnection}: what the runtime sends arrives in {@link
 * #input()}, what the agent writes to {@link #output()} goes out as data frames, and closing the
 * output half-closes the stream (a data frame with FIN), which the runtime reads as end-of-file —
 * how stdin EOF reaches a process.
 *
 * <p>Threading: the input is fed by the event loop and read by one thread; the output is written by
 * one thread at a time and waits for each frame to be written (backpressure to the writer).
 */
public final class SpdyStream {
  private static final int MAX_FRAME = 32 * 1024;

  private final int id;
  private final Channel channel;
  private final InboundPipe input;
  private final CompletableFuture<Void> remoteEnded = new CompletableFuture<>();
  private final Output output = new Output();

  SpdyStream(int id, Channel channel) {
    this.id = id;
    this.channel = channel;
    this.input = new InboundPipe(() -> channel.config().setAutoRead(true));
  }

  public int id() {
    return id;
  }

  /** What the runtime sent on this stream; end-of-stream at its FIN or when the connection ends. */
  public InputStream input() {
    return input;
  }

  /** Data to the runtime; {@code close()} half-closes the stream. */
  public OutputStream output() {
    return output;
  }

  /** Completes when the runtime has finished its side (FIN, reset, or connection end). */
  public CompletableFuture<Void> remoteEnded() {
    return remoteEnded;
  }

  void received(byte[] bytes, boolean last) {
    if (input.offer(bytes) > InboundPipe.HIGH_WATER) {
      channel.config().setAutoRead(false);
    }
    if (last) {
      ended(null);
    }
  }

  void ended(IOException failure) {
    if (failure == null) {
      input.finish();
    } else {
      input.fail(failure);
    }
    remoteEnded.complete(null);
  }

  private final class Output extends OutputStream {
    private boolean closed;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream " + id + " is closed for writing");
      }
      while (len > 0) {
        int n = Math.min(len, MAX_FRAME);
        send(new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(b, off, n)));
        off += n;
        len -= n;
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      if (channel.isActive()) {
        DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
        fin.setLast(true);
        send(fin);
      }
    }

    private void send(DefaultSpdyDataFrame frame) throws IOException {
      ChannelFuture written = channel.writeAndFlush(frame);
      try {
        written.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing to a container stream");
      }
      if (!written.isSuccess()) {
        throw new IOException(
            "the runtime's streaming connection is closed: " + written.cause(), written.cause());
      }
    }
  }
}
