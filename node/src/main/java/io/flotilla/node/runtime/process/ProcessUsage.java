package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.ContainerUsage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures host-process containers from {@code /proc}: a container is its main process and every
 * descendant (one scan of {@code /proc/<pid>/stat} per sample builds the parent map). CPU is {@code
 * utime + stime + cutime + cstime} summed over that tree, so time of children that already exited
 * and were waited for is kept, as a cgroup's cpuacct would keep it; memory is the sum of {@code
 * VmRSS} (shared pages count once per process: an upper bound of a cgroup's working set).
 *
 * <p>Threading: stateless apart from the proc root; safe from any thread.
 */
final class ProcessUsage {
  /** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux architecture we run on. */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;

  /** A running container's main process. */
  record Target(String containerId, String sandboxId, String name, long pid) {}

  private final Path procRoot;

  ProcessUsage(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Usage of each target whose main process still exists. */
  List<ContainerUsage> measure(List<Target> targets) {
    if (targets.isEmpty()) {
      return List.of();
    }
    Map<Long, Stat> stats = scan();
    Map<Long, List<Long>> children = new HashMap<>();
    stats.forEach((pid, s) -> children.computeIfAbsent(s.ppid, k -> new ArrayList<>()).add(pid));
    List<ContainerUsage> out = new ArrayList<>();
    for (Target t : targets) {
      if (!stats.containsKey(t.pid())) {
        continue;
      }
      long ticks = 0;
      long rss = 0;
      ArrayDeque<Long> todo = new ArrayDeque<>(List.of(t.pid()));
      while (!todo.isEmpty()) {
        long pid = todo.poll();
        Stat s = stats.get(pid);
        if (s == null) {
          continue;
        }
        ticks += s.ticks;
        rss += rssBytes(pid);
        todo.addAll(children.getOrDefault(pid, List.of()));
      }
      out.add(
          new ContainerUsage(
              t.containerId(), t.sandboxId(), t.name(), ticks * NANOS_PER_TICK, rss, rss));
    }
    return out;
  }

  private record Stat(long ppid, long ticks) {}

  private Map<Long, Stat> scan() {
    Map<Long, Stat> out = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot, "[0-9]*")) {
      for (Path dir : dirs) {
        Stat s = readStat(dir.resolve("stat"));
        if (s != null) {
          out.put(Long.parseLong(dir.getFileName().toString()), s);
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * Parses {@code /proc/<pid>/stat}: the command name in parentheses may hold spaces and
   * parentheses, so fields are counted from the last ')'. Null when the process is gone.
   */
  static Stat parseStat(String line) {
    int close = line.lastIndexOf(')');
    if (close < 0) {
      return null;
    }
    String[] f = line.substring(close + 2).trim().split(" +");
    // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17.
    long ppid = Long.parseLong(f[1]);
    long ticks = 0;
    for (int i = 11; i <= 14; i++) {
      ticks += Long.parseLong(f[i]);
    }
    return new Stat(ppid, ticks);
  }

  private static Stat readStat(Path file) {
    try {
      return parseStat(readProc(file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private long rssBytes(long pid) {
    try {
      for (String line :
          Files.readAllLines(procRoot.resolve(Long.toString(pid)).resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split(" +")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
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
