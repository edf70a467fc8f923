package io.flotilla.node.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads this machine's figures from {@code /proc} (a root given for tests) and the file system of
 * the agent's data directory (kubelet's nodefs is the file system of its root directory).
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class ProcHost implements HostSource {
  /** USER_HZ, the unit of /proc/stat; 100 on every Linux architecture we run on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final Path procRoot;
  private final Path nodeFsPath;
  private final Supplier<FsFigures> imageFs;

  /**
   * @param imageFs the runtime's image file system (containerd's ImageFsInfo); null when images
   *     live on the node file system (the process runtime)
   */
  public ProcHost(Path procRoot, Path nodeFsPath, Supplier<FsFigures> imageFs) {
    this.procRoot = procRoot;
    this.nodeFsPath = nodeFsPath;
    this.imageFs = imageFs;
  }

  /** This machine: {@code /proc} and the file system holding {@code dataDir}. */
  public static ProcHost of(Path dataDir) {
    return new ProcHost(Path.of("/proc"), dataDir, null);
  }

  @Override
  public HostSample sample() {
    try {
      List<String> stat = Files.readAllLines(procRoot.resolve("stat"));
      String meminfo = readProc(procRoot.resolve("meminfo"));
      FsFigures nodeFs = fs(nodeFsPath);
      FsFigures images = imageFs == null ? nodeFs : imageFs.get();
      return new HostSample(
          Instant.ofEpochSecond(statField(stat, "btime")),
          cpuNanos(stat),
          meminfo(meminfo, "MemTotal"),
          meminfo(meminfo, "MemFree"),
          meminfo(meminfo, "Inactive(file)"),
          meminfo(meminfo, "AnonPages"),
          nodeFs,
          images == null ? nodeFs : images,
          processes(readProc(procRoot.resolve("loadavg"))),
          maxPids());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read host figures under " + procRoot, e);
    }
  }

  /** Non-idle time of the aggregate {@code cpu} line: user nice system irq softirq steal. */
  static long cpuNanos(List<String> stat) {
    for (String line : stat) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split(" +");
        long ticks = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
          ticks += i < f.length ? Long.parseLong(f[i]) : 0;
        }
        return ticks * NANOS_PER_TICK;
      }
    }
    throw new IllegalStateException("no aggregate cpu line in /proc/stat");
  }

  /** A {@code /proc/meminfo} figure in bytes (0 when the kernel does not report it). */
  static long meminfo(String meminfo, String key) {
    for (String line : meminfo.split("\n")) {
      if (line.startsWith(key + ":")) {
        String[] f = line.substring(key.length() + 1).trim().split(" +");
        long v = Long.parseLong(f[0]);
        return f.length > 1 && f[1].equalsIgnoreCase("kB") ? v * 1024 : v;
      }
    }
    return 0;
  }

  /** Running tasks: the total after the slash in {@code /proc/loadavg} ("2/88"). */
  static long processes(String loadavg) {
    String[] f = loadavg.trim().split(" +");
    return Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
  }

  private long maxPids() throws IOException {
    long pidMax = readLong(procRoot.resolve("sys/kernel/pid_max"));
    long threadsMax = readLong(procRoot.resolve("sys/kernel/threads-max"));
    return threadsMax > 0 ? Math.min(pidMax, threadsMax) : pidMax;
  }

  private static long statField(List<String> stat, String key) {
    for (String line : stat) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1).trim());
      }
    }
    return 0;
  }

  private static long readLong(Path file) throws IOException {
    return Files.exists(file) ? Long.parseLong(readProc(file).trim()) : 0;
  }

  static FsFigures fs(Path path) throws IOException {
    FileStore store = Files.getFileStore(path);
    long capacity = store.getTotalSpace();
    long available = store.getUsableSpace();
    return new FsFigures(capacity, available, capacity - store.getUnallocatedSpace());
  }

  /**
   * Reads a /proc file. Not {@code Files.readString}: procfs and sysctl files report sizes that are
   * not their length, and the JDK then returns a truncated read (one byte of {@code pid_max}).
   */
  static String readProc(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
  }
}
