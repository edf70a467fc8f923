package io.flotilla.node.pod;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a volume's files so that readers see the old set or the new set, never a mix, as kubelet's
 * AtomicWriter does: the files go into a fresh {@code ..<timestamp>} directory, a {@code ..data}
 * symlink is swapped to it with one rename, and each top-level name is a symlink through {@code
 * ..data}. Nothing is written when the content is unchanged.
 *
 * <p>Threading: one writer per volume directory at a time (the pod's worker).
 */
public final class AtomicWriter {
  static final String DATA = "..data";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);

  private AtomicWriter() {}

  /** One file: its bytes and its mode (e.g. 0644). */
  public record FileContent(byte[] data, int mode) {}

  /** Makes {@code dir} hold exactly {@code files} (relative paths); returns whether it changed. */
  public static boolean write(Path dir, Map<String, FileContent> files, Instant now)
      throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve(DATA);
    if (Files.isDirectory(data) && same(data, files)) {
      return false;
    }
    Path fresh = dir.resolve(".." + TS.format(now) + "." + Integer.toUnsignedString(rnd(), 36));
    Files.createDirectories(fresh);
    for (var e : files.entrySet()) {
      Path f = fresh.resolve(e.getKey()).normalize();
      if (!f.startsWith(fresh)) {
        throw new ConfigError("volume item path \"" + e.getKey() + "\" leaves the volume");
      }
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue().data());
      Files.setPosixFilePermissions(f, perms(e.getValue().mode()));
    }
    Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, fresh.getFileName());
    Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Set<String> top = new HashSet<>();
    for (String rel : files.keySet()) {
      top.add(Path.of(rel).getName(0).toString());
    }
    for (String t : top) {
      Path link = dir.resolve(t);
      try {
        Files.createSymbolicLink(link, Path.of(DATA).resolve(t));
      } catch (FileAlreadyExistsException e) {
        // Already points through ..data.
      }
    }
    try (var list = Files.list(dir)) {
      for (Path p : list.toList()) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && !top.contains(name) && Files.isSymbolicLink(p)) {
          Files.delete(p);
        }
      }
    }
    if (old != null && !old.equals(fresh)) {
      deleteTree(old);
    }
    return true;
  }

  private static boolean same(Path data, Map<String, FileContent> files) throws IOException {
    Set<String> present = new HashSet<>();
    try (var walk = Files.walk(data.toRealPath())) {
      Path root = data.toRealPath();
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        present.add(root.relativize(p).toString());
      }
    }
    if (!present.equals(files.keySet())) {
      return false;
    }
    for (var e : files.entrySet()) {
      Path f = data.resolve(e.getKey());
      if (!Arrays.equals(Files.readAllBytes(f), e.getValue().data())
          || !Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)
              .equals(perms(e.getValue().mode()))) {
        return false;
      }
    }
    return true;
  }

  static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> s = new HashSet<>();
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  private static int rnd() {
    return ThreadLocalRandom.current().nextInt();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
