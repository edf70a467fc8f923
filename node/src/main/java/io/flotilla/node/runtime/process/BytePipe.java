package io.flotilla.node.runtime.process;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An input stream fed by another thread's {@link #offer}s (a container's output to an attached
 * client); {@link #end} makes it end. Threading: one reader, any number of writers; writers never
 * block.
 */
final class BytePipe extends InputStream {
  private static final byte[] END = new byte[0];
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private byte[] current;
  private int pos;
  private boolean ended;

  void offer(byte[] b) {
    if (b.length > 0) {
      queue.offer(b);
    }
  }

  void end() {
    queue.offer(END);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (ended) {
      return -1;
    }
    if (current == null || pos == current.length) {
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      pos = 0;
      if (current == END) {
        ended = true;
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    ended = true;
  }
}
