package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.flotilla.node.pod.AtomicWriter.FileContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes as directories on the node, under {@code DATA/pods/<uid>/volumes/<plugin>/<name>}
 * like kubelet's: emptyDir (medium Memory: a tmpfs on that directory, {@link MemoryVolumes}),
 * configMap, secret, downwardAPI and projected (written with {@link AtomicWriter}, so a re-run
 * after the source changed swaps the content atomically), hostPath (the host path itself, created
 * for DirectoryOrCreate/FileOrCreate), persistentVolumeClaim (the hostPath or local path of the
 * claim's bound volume, {@link ClaimVolumes}). Each {@link #setUp} is idempotent and cheap when
 * nothing changed.
 *
 * <p>Threading: called only by the worker holding the pod's key.
 */
public final class PodVolumes {
  private static final int DEFAULT_MODE = 0644;

  private PodVolumes() {}

  /** The pod's own directory under the agent's data dir. */
  public static Path podDir(Path dataDir, String uid) {
    return dataDir.resolve("pods").resolve(uid);
  }

  /** Prepares every volume; returns the host path of each by volume name. */
  public static Map<String, Path> setUp(
      Pod pod,
      Path podDir,
      ObjectSource objects,
      FieldPaths.PodAddresses addr,
      Map<String, Quantity> allocatable,
      Instant now) {
    Map<String, Path> out = new LinkedHashMap<>();
    List<Volume> volumes = pod.getSpec().getVolumes();
    if (volumes == null) {
      return out;
    }
    try {
      for (Volume v : volumes) {
        out.put(v.getName(), setUp(pod, podDir, v, objects, addr, allocatable, now));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare volumes under " + podDir, e);
    }
    return out;
  }

  /** Whether some volume's content follows API objects (and so needs periodic refresh). */
  public static boolean hasRefreshingVolumes(Pod pod) {
    List<Volume> volumes = pod.getSpec().getVolumes();
    return volumes != null
        && volumes.stream()
            .anyMatch(
                v ->
                    v.getConfigMap() != null
                        || v.getSecret() != null
                        || v.getDownwardAPI() != null
                        || v.getProjected() != null);
  }

  /** Removes the pod's directory (its emptyDirs and written volumes; never hostPaths). */
  public static void tearDown(Path podDir) {
    MemoryVolumes.unmountAll(podDir);
    try {
      AtomicWriter.deleteTree(podDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + podDir, e);
    }
  }

  private static Path setUp(
      Pod pod,
      Path podDir,
      Volume v,
      ObjectSource objects,
      FieldPaths.PodAddresses addr,
      Map<String, Quantity> allocatable,
      Instant now)
      throws IOException {
    String ns = pod.getMetadata().getNamespace();
    Path vols = podDir.resolve("volumes");
    if (v.getEmptyDir() != null) {
      Path d = vols.resolve("kubernetes.io~empty-dir").resolve(v.getName());
      Files.createDirectories(d);
      // World-writable like kubelet's, so containers running as another user can write.
      Files.setPosixFilePermissions(d, AtomicWriter.perms(0777));
      if ("Memory".equals(v.getEmptyDir().getMedium())) {
        MemoryVolumes.mount(d, v.getEmptyDir().getSizeLimit());
      }
      return d;
    }
    if (v.getHostPath() != null) {
      return hostPath(v.getHostPath());
    }
    if (v.getPersistentVolumeClaim() != null) {
      // The claim's bound volume, mounted like hostPath (local-path volumes are hostPaths).
      HostPathVolumeSource src =
          ClaimVolumes.hostPath(objects, ns, v.getPersistentVolumeClaim().getClaimName());
      Path p = Path.of(src.getPath());
      boolean fresh = "DirectoryOrCreate".equals(src.getType()) && !Files.exists(p);
      hostPath(src);
      if (fresh) {
        // Open to every user, as rancher's provisioner makes them: containers may run as any uid.
        Files.setPosixFilePermissions(p, AtomicWriter.perms(0777));
      }
      return p;
    }
    Map<String, FileContent> files = new LinkedHashMap<>();
    String plugin;
    if (v.getConfigMap() != null) {
      var src = v.getConfigMap();
      plugin = "kubernetes.io~configmap";
      int mode = src.getDefaultMode() == null ? DEFAULT_MODE : src.getDefaultMode();
      configMapFiles(objects, ns, src.getName(), src.getItems(), src.getOptional(), mode, files);
    } else if (v.getSecret() != null) {
      var src = v.getSecret();
      plugin = "kubernetes.io~secret";
      int mode = src.getDefaultMode() == null ? DEFAULT_MODE : src.getDefaultMode();
      secretFiles(objects, ns, src.getSecretName(), src.getItems(), src.getOptional(), mode, files);
    } else if (v.getDownwardAPI() != null) {
      plugin = "kubernetes.io~downward-api";
      int mode =
          v.getDownwardAPI().getDefaultMode() == null
              ? DEFAULT_MODE
              : v.getDownwardAPI().getDefaultMode();
      downwardFiles(pod, v.getDownwardAPI().getItems(), mode, addr, allocatable, files);
    } else if (v.getProjected() != null) {
      plugin = "kubernetes.io~projected";
      int mode =
          v.getProjected().getDefaultMode() == null
              ? DEFAULT_MODE
              : v.getProjected().getDefaultMode();
      for (VolumeProjection p : v.getProjected().getSources()) {
        if (p.getConfigMap() != null) {
          var s = p.getConfigMap();
          configMapFiles(objects, ns, s.getName(), s.getItems(), s.getOptional(), mode, files);
        } else if (p.getSecret() != null) {
          var s = p.getSecret();
          secretFiles(objects, ns, s.getName(), s.getItems(), s.getOptional(), mode, files);
        } else if (p.getDownwardAPI() != null) {
          downwardFiles(pod, p.getDownwardAPI().getItems(), mode, addr, allocatable, files);
        }
        // serviceAccountToken and clusterTrustBundle sources: no tokens are issued yet.
      }
    } else {
      throw new ConfigError(
          "volume \""
              + v.getName()
              + "\": this agent supports emptyDir, configMap, secret, downwardAPI, projected,"
              + " hostPath and persistentVolumeClaim volumes");
    }
    Path d = vols.resolve(plugin).resolve(v.getName());
    AtomicWriter.write(d, files, now);
    return d;
  }

  /** The host path itself, created or checked as its type says. */
  private static Path hostPath(HostPathVolumeSource src) throws IOException {
    Path p = Path.of(src.getPath());
    String type = src.getType() == null ? "" : src.getType();
    switch (type) {
      case "DirectoryOrCreate" -> Files.createDirectories(p);
      case "FileOrCreate" -> {
        if (!Files.exists(p)) {
          Files.createDirectories(p.getParent());
          Files.createFile(p);
        }
      }
      case "Directory", "File", "Socket", "CharDevice", "BlockDevice" -> {
        if (!Files.exists(p)) {
          throw new ConfigError("hostPath type check failed: " + p + " is not a " + type);
        }
      }
      default -> {}
    }
    return p;
  }

  private static void configMapFiles(
      ObjectSource objects,
      String ns,
      String name,
      List<KeyToPath> items,
      Boolean optional,
      int mode,
      Map<String, FileContent> files) {
    ConfigMap cm = objects.configMap(ns, name);
    if (cm == null) {
      if (Boolean.TRUE.equals(optional)) {
        return;
      }
      throw new ConfigError("configmap \"" + name + "\" not found");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (cm.getData() != null) {
      cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (cm.getBinaryData() != null) {
      cm.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    project("ConfigMap " + ns + "/" + name, data, items, optional, mode, files);
  }

  private static void secretFiles(
      ObjectSource objects,
      String ns,
      String name,
      List<KeyToPath> items,
      Boolean optional,
      int mode,
      Map<String, FileContent> files) {
    Secret s = objects.secret(ns, name);
    if (s == null) {
      if (Boolean.TRUE.equals(optional)) {
        return;
      }
      throw new ConfigError("secret \"" + name + "\" not found");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    project("Secret " + ns + "/" + name, data, items, optional, mode, files);
  }

  private static void project(
      String what,
      Map<String, byte[]> data,
      List<KeyToPath> items,
      Boolean optional,
      int mode,
      Map<String, FileContent> files) {
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> files.put(k, new FileContent(v, mode)));
      return;
    }
    for (KeyToPath item : items) {
      byte[] v = data.get(item.getKey());
      if (v == null) {
        if (Boolean.TRUE.equals(optional)) {
          continue;
        }
        throw new ConfigError(
            "configured to use key " + item.getKey() + " of " + what + ", which has no such key");
      }
      files.put(item.getPath(), new FileContent(v, item.getMode() == null ? mode : item.getMode()));
    }
  }

  private static void downwardFiles(
      Pod pod,
      List<DownwardAPIVolumeFile> items,
      int mode,
      FieldPaths.PodAddresses addr,
      Map<String, Quantity> allocatable,
      Map<String, FileContent> files) {
    if (items == null) {
      return;
    }
    for (DownwardAPIVolumeFile f : items) {
      String value;
      if (f.getFieldRef() != null) {
        value = FieldPaths.field(pod, f.getFieldRef().getFieldPath(), addr);
      } else if (f.getResourceFieldRef() != null) {
        value =
            FieldPaths.resource(
                pod,
                pod.getSpec().getContainers().getFirst(),
                f.getResourceFieldRef(),
                allocatable);
      } else {
        continue;
      }
      files.put(
          f.getPath(),
          new FileContent(
              value.getBytes(StandardCharsets.UTF_8), f.getMode() == null ? mode : f.getMode()));
    }
  }
}
