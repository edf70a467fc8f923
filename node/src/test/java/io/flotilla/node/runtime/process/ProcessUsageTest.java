package io.flotilla.node.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.node.runtime.ContainerUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessUsageTest {
  @TempDir Path proc;

  @Test
  void sumsCpuAndMemoryOverTheMainProcessAndItsDescendantsOnly() throws IOException {
    // 10 is the container's main process, 11 its child, 12 a grandchild; 20 is someone else's.
    process(10, 1, "sh", 100, 20, 5, 5, 1000);
    process(11, 10, "my (odd) name", 30, 10, 0, 0, 2000);
    process(12, 11, "sleep", 1, 1, 0, 0, 500);
    process(20, 1, "other", 999, 999, 0, 0, 9999);

    List<ContainerUsage> usage =
        new ProcessUsage(proc).measure(List.of(new ProcessUsage.Target("c1", "s1", "app", 10)));

    assertThat(usage).hasSize(1);
    ContainerUsage u = usage.get(0);
    assertThat(u.containerId()).isEqualTo("c1");
    assertThat(u.sandboxId()).isEqualTo("s1");
    assertThat(u.name()).isEqualTo("app");
    // (100+20+5+5) + (30+10) + (1+1) ticks of 10 ms.
    assertThat(u.cpuCoreNanoSeconds()).isEqualTo(172 * 10_000_000L);
    assertThat(u.memoryWorkingSetBytes()).isEqualTo((1000 + 2000 + 500) * 1024L);
  }

  @Test
  void skipsAContainerWhoseProcessIsGone() throws IOException {
    process(20, 1, "other", 1, 1, 0, 0, 1);

    assertThat(
            new ProcessUsage(proc).measure(List.of(new ProcessUsage.Target("c1", "s1", "app", 10))))
        .isEmpty();
  }

  private void process(
      long pid,
      long ppid,
      String comm,
      long utime,
      long stime,
      long cutime,
      long cstime,
      long rssKb)
      throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(
        dir.resolve("stat"),
        pid
            + " ("
            + comm
            + ") S "
            + ppid
            + " "
            + pid
            + " 1 0 -1 4194304 99 0 0 0 "
            + utime
            + " "
            + stime
            + " "
            + cutime
            + " "
            + cstime
            + " 20 0 1 0 2045078 3133440 360\n");
    Files.writeString(
        dir.resolve("status"), "Name:\tx\nVmRSS:\t    " + rssKb + " kB\nThreads:\t1\n");
  }
}
