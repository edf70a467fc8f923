package io.flotilla.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcHostTest {
  @TempDir Path dir;

  @Test
  void readsCpuMemoryAndPidsFromProcFiles() throws IOException {
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc.resolve("sys/kernel"));
    Files.writeString(
        proc.resolve("stat"),
        """
        cpu  100 20 30 5000 40 5 6 7 0 0
        cpu0 100 20 30 5000 40 5 6 7 0 0
        btime 1795449355
        """);
    Files.writeString(
        proc.resolve("meminfo"),
        """
        MemTotal:        1000 kB
        MemFree:          300 kB
        MemAvailable:     800 kB
        Inactive(file):   200 kB
        AnonPages:        150 kB
        """);
    Files.writeString(proc.resolve("loadavg"), "0.50 0.40 0.30 2/88 1343\n");
    Files.writeString(proc.resolve("sys/kernel/pid_max"), "32768\n");
    Files.writeString(proc.resolve("sys/kernel/threads-max"), "20000\n");

    HostSample s = new ProcHost(proc, dir, null).sample();

    // user + nice + system + irq + softirq + steal = 168 ticks of 10 ms; idle and iowait excluded.
    assertThat(s.cpuCoreNanoSeconds()).isEqualTo(168 * 10_000_000L);
    assertThat(s.bootTime()).isEqualTo(Instant.ofEpochSecond(1795449355));
    assertThat(s.memoryTotalBytes()).isEqualTo(1000 * 1024);
    assertThat(s.memoryUsageBytes()).isEqualTo(700 * 1024);
    assertThat(s.memoryWorkingSetBytes()).as("usage - inactive file").isEqualTo(500 * 1024);
    assertThat(s.memoryAvailableBytes()).as("total - working set").isEqualTo(500 * 1024);
    assertThat(s.memoryAnonBytes()).isEqualTo(150 * 1024);
    assertThat(s.processes()).isEqualTo(88);
    assertThat(s.maxPids()).as("min(pid_max, threads-max)").isEqualTo(20000);
    assertThat(s.nodeFs().capacityBytes()).isPositive();
    assertThat(s.imageFs()).as("no separate image fs").isEqualTo(s.nodeFs());
  }

  @Test
  void readsThisMachine() {
    HostSample s = ProcHost.of(dir).sample();

    assertThat(s.cpuCoreNanoSeconds()).isPositive();
    assertThat(s.memoryTotalBytes()).isGreaterThan(s.memoryWorkingSetBytes());
    assertThat(s.memoryWorkingSetBytes()).isPositive();
    assertThat(s.processes()).isPositive();
    assertThat(s.maxPids()).isGreaterThan(s.processes());
    assertThat(s.bootTime()).isBefore(Instant.now());
  }
}
