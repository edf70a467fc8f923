package io.flotilla.node.server;

import io.flotilla.node.LocatedPod;
import io.flotilla.node.runtime.ContainerStatus;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: a container instance's CRI log file as
 * plain text (kubelet's ReadLogs): the CRI prefix dropped, partial ({@code P}) records joined into
 * their line, {@code timestamps} prefixing each line with its RFC3339Nano time, {@code tailLines},
 * {@code sinceSeconds}/{@code sinceTime}, {@code limitBytes}, {@code previous} (the instance before
 * the current one) and {@code follow} (new lines as they are written, until the instance ends or
 * the client goes away).
 *
 * <p>Threading: the request is checked on the event loop; the file is read and sent from a platform
 * thread per request, which waits for each chunk to be written (the client's pace bounds memory)
 * and polls the file every {@code pollInterval} while following.
 */
final class ContainerLogs {
  private final PodLocator pods;
  private final Clock clock;
  private final Duration pollInterval;

  ContainerLogs(PodLocator pods, Clock clock, Duration pollInterval) {
    this.pods = pods;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  void handle(ChannelHandlerContext ctx, List<String> path, QueryStringDecoder q) {
    if (path.size() != 4) {
      throw new KubeletException(
          404, "use /containerLogs/{namespace}/{pod}/{container}, not " + q.path());
    }
    LocatedPod pod = Targets.pod(pods, path.get(1), path.get(2));
    String container = path.get(3);
    LogOptions opts = LogOptions.parse(q, clock.instant());
    List<ContainerStatus> all = Targets.instances(pod, container);
    ContainerStatus instance;
    if (opts.previous()) {
      if (all.size() < 2) {
        throw new KubeletException(
            400,
            "previous terminated container \""
                + container
                + "\" in pod \""
                + pod.name()
                + "\" not found");
      }
      instance = all.get(all.size() - 2);
    } else {
      if (all.isEmpty()) {
        throw new KubeletException(
            400,
            "container \""
                + container
                + "\" in pod \""
                + pod.name()
                + "\" is waiting to start: ContainerCreating");
      }
      instance = all.getLast();
    }
    Path file = Targets.logFile(pod, instance);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    HttpUtil.setTransferEncodingChunked(head, true);
    ctx.writeAndFlush(head);
    Thread.ofPlatform()
        .daemon()
        .name("flotilla-kubelet-logs")
        .start(() -> stream(ctx, pod, instance, file, opts));
  }

  private void stream(
      ChannelHandlerContext ctx,
      LocatedPod pod,
      ContainerStatus instance,
      Path file,
      LogOptions opts) {
    Output out = new Output(ctx, opts);
    try (FileChannel ch = open(file)) {
      Records records = new Records();
      if (ch != null) {
        readAvailable(ch, records);
      }
      List<CriRecord> first = records.drain();
      if (opts.tailLines() >= 0) {
        first = tail(first, opts.tailLines());
      }
      boolean more = out.write(first);
      boolean follow =
          opts.follow() && !opts.previous() && instance.state() != ContainerStatus.State.EXITED;
      FileChannel live = ch;
      while (more && follow && ctx.channel().isActive()) {
        boolean ended = !stillRunning(pod, instance);
        if (live == null) {
          live = open(file);
        }
        if (live != null) {
          readAvailable(live, records);
        }
        more = out.write(records.drain());
        if (ended) {
          break;
        }
        Thread.sleep(pollInterval);
      }
      if (live != null && live != ch) {
        live.close();
      }
    } catch (IOException e) {
      // The file went away with its pod: what was read is sent.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  private static boolean stillRunning(LocatedPod pod, ContainerStatus instance) {
    return pod.runtime().listContainers(pod.sandboxId()).stream()
        .anyMatch(c -> c.id().equals(instance.id()) && c.state() == ContainerStatus.State.RUNNING);
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void readAvailable(FileChannel ch, Records records) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (ch.read(buf) > 0) {
      buf.flip();
      records.feed(buf);
      buf.clear();
    }
  }

  /** The records of the last {@code n} lines (a line is its partial records and the full one). */
  static List<CriRecord> tail(List<CriRecord> all, long n) {
    ArrayDeque<CriRecord> kept = new ArrayDeque<>();
    long lines = 0;
    for (int i = all.size() - 1; i >= 0; i--) {
      CriRecord r = all.get(i);
      if (!r.partial()) {
        if (lines == n) {
          break;
        }
        lines++;
      }
      kept.addFirst(r);
    }
    return new ArrayList<>(kept);
  }

  /** Splits the file's bytes into records, keeping an unfinished last line for the next read. */
  private static final class Records {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final List<CriRecord> ready = new ArrayList<>();

    void feed(ByteBuffer buf) {
      while (buf.hasRemaining()) {
        byte b = buf.get();
        if (b == '\n') {
          CriRecord r = CriRecord.parse(pending.toString(StandardCharsets.UTF_8));
          if (r != null) {
            ready.add(r);
          }
          pending.reset();
        } else {
          pending.write(b);
        }
      }
    }

    List<CriRecord> drain() {
      List<CriRecord> out = new ArrayList<>(ready);
      ready.clear();
      return out;
    }
  }

  /** Formats records and sends them, minding since and limitBytes; tracks line starts. */
  private static final class Output {
    private final ChannelHandlerContext ctx;
    private final LogOptions opts;
    private boolean lineStart = true;
    private long sent;

    Output(ChannelHandlerContext ctx, LogOptions opts) {
      this.ctx = ctx;
      this.opts = opts;
    }

    /** Sends the records; false once limitBytes is reached or the client is gone. */
    boolean write(List<CriRecord> records) {
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      boolean full = false;
      for (CriRecord r : records) {
        if (opts.since() != null && r.time().isBefore(opts.since())) {
          continue;
        }
        StringBuilder s = new StringBuilder();
        if (opts.timestamps() && lineStart) {
          s.append(CriRecord.rfc3339Nano(r.time())).append(' ');
        }
        s.append(r.content());
        if (!r.partial()) {
          s.append('\n');
        }
        lineStart = !r.partial();
        byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
        if (opts.limitBytes() > 0 && sent + chunk.size() + b.length >= opts.limitBytes()) {
          chunk.write(b, 0, (int) (opts.limitBytes() - sent - chunk.size()));
          full = true;
          break;
        }
        chunk.writeBytes(b);
      }
      if (chunk.size() > 0) {
        sent += chunk.size();
        var f =
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk.toByteArray())));
        if (!f.awaitUninterruptibly().isSuccess()) {
          return false;
        }
      }
      return !full;
    }
  }
}
