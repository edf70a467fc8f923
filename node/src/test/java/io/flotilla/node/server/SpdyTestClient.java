package io.flotilla.node.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A SPDY/3.1 client for tests, as client-go's spdystream behaves: streams opened with SYN_STREAM
 * and headers, data sent and received per stream. Frames are encoded and decoded by Netty's codec
 * in an EmbeddedChannel; the bytes travel over whatever transport the test gives ({@code out}).
 * Threading: synchronized; {@link #received} is called by the transport's reader.
 */
final class SpdyTestClient {
  private final EmbeddedChannel codec =
      new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final Consumer<byte[]> out;
  private final Map<Integer, ByteArrayOutputStream> data = new ConcurrentHashMap<>();
  private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
  private int nextId = 1;

  SpdyTestClient(Consumer<byte[]> out) {
    this.out = out;
  }

  synchronized int open(Map<String, String> headers) {
    int id = nextId;
    nextId += 2;
    DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    headers.forEach((k, v) -> syn.headers().set(k, v));
    write(syn);
    return id;
  }

  synchronized void send(int stream, byte[] bytes, boolean fin) {
    DefaultSpdyDataFrame f = new DefaultSpdyDataFrame(stream, Unpooled.wrappedBuffer(bytes));
    f.setLast(fin);
    write(f);
  }

  private void write(Object frame) {
    codec.writeOutbound(frame);
    ByteBuf b;
    while ((b = codec.readOutbound()) != null) {
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      out.accept(a);
    }
  }

  synchronized void received(byte[] bytes) {
    codec.writeInbound(Unpooled.wrappedBuffer(bytes));
    Object f;
    while ((f = codec.readInbound()) != null) {
      if (f instanceof SpdyDataFrame d) {
        ByteBuf c = d.content();
        byte[] a = new byte[c.readableBytes()];
        c.readBytes(a);
        data.computeIfAbsent(d.streamId(), k -> new ByteArrayOutputStream()).writeBytes(a);
        if (d.isLast()) {
          finished.add(d.streamId());
        }
      }
      io.netty.util.ReferenceCountUtil.release(f);
    }
  }

  String data(int stream) {
    ByteArrayOutputStream b = data.get(stream);
    synchronized (this) {
      return b == null ? "" : b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  boolean finished(int stream) {
    return finished.contains(stream);
  }
}
