package io.flotilla.node.runtime.cri.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * The bytes one SPDY stream delivered, read as an {@link InputStream}.
 *
 * <p>Threading: the connection's event-loop thread {@link #offer}s chunks and {@link #finish}es or
 * {@link #fail}s the pipe; one reader thread at a time reads. Reads block until bytes arrive or the
 * stream ends. The pipe tells its owner through {@code onDrained} when a reader has brought the
 * buffered amount back under {@link #LOW_WATER}, so the connection can resume reading the socket it
 * paused at {@link #HIGH_WATER} (backpressure from a slow reader to the runtime).
 */
final class InboundPipe extends InputStream {
  static final long HIGH_WATER = 4L << 20;
  static final long LOW_WATER = 1L << 20;

  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private final Runnable onDrained;
  private byte[] head;
  private int headPos;
  private long buffered;
  private boolean finished;
  private IOException failure;

  InboundPipe(Runnable onDrained) {
    this.onDrained = onDrained;
  }

  /** Adds a chunk; returns the amount now buffered (the caller pauses reads above HIGH_WATER). */
  synchronized long offer(byte[] chunk) {
    if (finished || chunk.length == 0) {
      return buffered;
    }
    chunks.add(chunk);
    buffered += chunk.length;
    notifyAll();
    return buffered;
  }

  /** Ends the stream: readers get the buffered bytes, then end-of-stream. Idempotent. */
  synchronized void finish() {
    finished = true;
    notifyAll();
  }

  /** Ends the stream with an error the reader sees after the buffered bytes. */
  synchronized void fail(IOException cause) {
    if (!finished) {
      failure = cause;
      finished = true;
      notifyAll();
    }
  }

  synchronized boolean isFinished() {
    return finished;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    boolean drained;
    int n;
    synchronized (this) {
      while (head == null && chunks.isEmpty() && !finished) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading a container stream");
        }
      }
      if (head == null) {
        head = chunks.poll();
        headPos = 0;
      }
      if (head == null) {
        if (failure != null) {
          throw new IOException(failure.getMessage(), failure);
        }
        return -1;
      }
      n = Math.min(len, head.length - headPos);
      System.arraycopy(head, headPos, b, off, n);
      headPos += n;
      if (headPos == head.length) {
        head = null;
      }
      long before = buffered;
      buffered -= n;
      drained = before >= LOW_WATER && buffered < LOW_WATER;
    }
    if (drained) {
      onDrained.run();
    }
    return n;
  }

  @Override
  public synchronized int available() {
    return (int) Math.min(Integer.MAX_VALUE, buffered);
  }

  /** Closing the reading side discards what is buffered and anything that still arrives. */
  @Override
  public void close() {
    synchronized (this) {
      chunks.clear();
      head = null;
      buffered = 0;
      finished = true;
      notifyAll();
    }
    onDrained.run();
  }
}
