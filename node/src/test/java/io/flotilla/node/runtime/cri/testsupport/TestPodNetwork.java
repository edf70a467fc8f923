package io.flotilla.node.runtime.cri.testsupport;

import io.flotilla.node.runtime.cri.CniBridgeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A pod network for one test containerd: a bridge and a /24 out of 10.250.0.0/16 that no other test
 * JVM on this machine holds. Slots are claimed in order with a file lock in /tmp (shared by every
 * worktree and build), held until {@link #close()}, so concurrent builds never share a bridge or
 * hand out the same addresses. A slot whose subnet the host already routes through some other
 * interface is skipped.
 *
 * <p>Threading: claim and close from one thread.
 */
public final class TestPodNetwork implements AutoCloseable {
  private static final int SLOTS = 64;

  private final int slot;
  private final FileChannel lockFile;
  private final FileLock lock;

  private TestPodNetwork(int slot, FileChannel lockFile, FileLock lock) {
    this.slot = slot;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** Claims the first free slot. */
  public static TestPodNetwork claim() {
    for (int slot = 0; slot < SLOTS; slot++) {
      if (routedElsewhere(slot)) {
        continue;
      }
      Path path = Path.of("/tmp", "flotilla-test-podnet-" + slot + ".lock");
      FileChannel channel = null;
      try {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return new TestPodNetwork(slot, channel, lock);
        }
        channel.close();
      } catch (OverlappingFileLockException e) {
        closeQuietly(channel);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new UncheckedIOException("Could not lock " + path, e);
      }
    }
    throw new IllegalStateException(
        "All " + SLOTS + " test pod networks (10.250.0.0/16) are in use by other test JVMs");
  }

  /** The bridge device name. */
  public String bridge() {
    return "flt-test" + slot;
  }

  /** The pod CIDR. */
  public String subnet() {
    return "10.250." + slot + ".0/24";
  }

  /** The gateway address (the bridge's), which host-local skips. */
  public String gateway() {
    return "10.250." + slot + ".1";
  }

  /** Whether {@code ip} is inside this network's /24. */
  public boolean contains(String ip) {
    return ip.startsWith("10.250." + slot + ".");
  }

  /** The conflist for this network, with host-local's records under {@code ipamDataDir}. */
  public CniBridgeConfig cniConfig(Path ipamDataDir) {
    return new CniBridgeConfig("flotilla-test" + slot, bridge(), subnet(), ipamDataDir);
  }

  /** Releases the slot. The bridge stays (CNI never deletes it); the next holder reuses it. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // The lock goes with the channel below anyway.
    }
    closeQuietly(lockFile);
  }

  /** Whether /proc/net/route sends this slot's subnet through an interface that is not ours. */
  private static boolean routedElsewhere(int slot) {
    // /proc/net/route holds destinations as little-endian hex: 10.250.slot.0 → 00{slot}FA0A.
    String destination = String.format("00%02XFA0A", slot);
    try {
      return Files.readAllLines(Path.of("/proc/net/route")).stream()
          .skip(1)
          .map(l -> l.trim().split("\\s+"))
          .anyMatch(
              f -> f.length > 1 && f[1].equals(destination) && !f[0].equals("flt-test" + slot));
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to release.
      }
    }
  }
}
