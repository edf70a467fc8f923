package io.flotilla.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.store.KeyValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child process with SIGKILL at random moments and checks that every write it had
 * acknowledged is still in the store, and that the revision never goes back.
 */
class RocksDbCrashTest {
  private static final int KILLS = 20;
  private static final Pattern LINE =
      Pattern.compile("(/crash/\\d+/\\d+) (\\d+) (r\\d+-t\\d+-\\d+)");

  @TempDir Path dir;

  private record Acked(long revision, String value) {}

  @Test
  void everyAcknowledgedWriteSurvivesSigkillAndTheRevisionKeepsRising() throws Exception {
    Path storeDir = dir.resolve("store");
    Path side = dir.resolve("acked.log");
    Files.createFile(side);
    Random random = new Random();
    long lastRevision = 1;
    int totalAcked = 0;
    for (int run = 0; run < KILLS; run++) {
      long killAt = Files.size(side) + 500 + random.nextInt(15_000);
      Path output = dir.resolve("child-" + run + ".out");
      Process child = startChild(storeDir, side, run, output);
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> !child.isAlive() || Files.size(side) >= killAt);
        assertThat(child.isAlive()).as("child alive; its output: %s", read(output)).isTrue();
      } finally {
        child.destroyForcibly();
        child.waitFor();
      }
      endWithNewline(side);

      Map<String, Acked> acked = latestAcked(side);
      totalAcked = acked.size();
      long maxAcked = acked.values().stream().mapToLong(Acked::revision).max().orElse(0);
      try (RocksDbStore store = RocksDbStore.open(storeDir)) {
        for (Map.Entry<String, Acked> e : acked.entrySet()) {
          KeyValue kv = store.get(e.getKey()).join();
          assertThat(kv).as("run %d: acknowledged key %s", run, e.getKey()).isNotNull();
          assertThat(kv.modRevision())
              .as("run %d: %s", run, e.getKey())
              .isGreaterThanOrEqualTo(e.getValue().revision());
          if (kv.modRevision() == e.getValue().revision()) {
            assertThat(kv.valueAsString()).isEqualTo(e.getValue().value());
          }
        }
        long revision = store.currentRevision().join();
        assertThat(revision)
            .as("run %d", run)
            .isGreaterThanOrEqualTo(maxAcked)
            .isGreaterThan(lastRevision);
        lastRevision = revision;
      }
    }
    assertThat(totalAcked).as("keys written across all runs").isPositive();
  }

  private Process startChild(Path storeDir, Path side, int run, Path output) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    // RocksDB extracts its native library into the temp dir; a killed JVM leaves it behind.
    command.addAll(List.of("-Djava.io.tmpdir=" + dir, "-Xmx256m", "-XX:+UseSerialGC"));
    Path nativeDir = extractNativeLibrary();
    if (nativeDir != null) {
      command.add("-Djava.library.path=" + nativeDir);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(
        List.of(
            CrashWriterMain.class.getName(), storeDir.toString(), side.toString(), "" + run, "8"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  /**
   * Extracts RocksDB's Linux x86-64 library once, so that 20 children load it from the library path
   * instead of each copying 15 MB out of the jar; null on other platforms.
   */
  private Path extractNativeLibrary() throws IOException {
    Path nativeDir = dir.resolve("native");
    Path lib = nativeDir.resolve("librocksdbjni.so");
    if (Files.exists(lib)) {
      return nativeDir;
    }
    try (InputStream in =
        org.rocksdb.RocksDB.class
            .getClassLoader()
            .getResourceAsStream("librocksdbjni-linux64.so")) {
      if (in == null || !System.getProperty("os.arch").equals("amd64")) {
        return null;
      }
      Files.createDirectories(nativeDir);
      Files.copy(in, lib);
      return nativeDir;
    }
  }

  /** The latest acknowledged write of each key; a line cut short by the kill is ignored. */
  private static Map<String, Acked> latestAcked(Path side) throws IOException {
    Map<String, Acked> latest = new HashMap<>();
    for (String line : Files.readAllLines(side, StandardCharsets.UTF_8)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        Acked a = new Acked(Long.parseLong(m.group(2)), m.group(3));
        latest.merge(m.group(1), a, (x, y) -> x.revision() >= y.revision() ? x : y);
      }
    }
    return latest;
  }

  private static void endWithNewline(Path side) throws IOException {
    byte[] all = Files.readAllBytes(side);
    if (all.length > 0 && all[all.length - 1] != '\n') {
      Files.writeString(side, "\n", StandardOpenOption.APPEND);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
