package io.flotilla.node;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's own memory of one pod it runs: its sandbox, when it started, and what it last wrote.
 * Touched only by the worker that holds the pod's key in the {@link KeyQueue}, so it needs no lock.
 */
final class PodRecord {
  /** Volatile, as {@link #logDirectory}: the kubelet server reads them from its own threads. */
  volatile String sandboxId;

  String podIp;
  Instant startTime;

  /** When Ready last changed, for the Ready and ContainersReady lastTransitionTime. */
  Instant readyTransition;

  boolean ready;

  /**
   * A 64-bit FNV-1a hash of the status patch last written, to skip writing the same again (a hash,
   * not the text, to keep a pod's memory small).
   */
  long lastPatchHash;

  /** Why a container could not be created, by container name: {reason, message}. */
  final Map<String, String[]> configErrors = new HashMap<>();

  /** Back-off per container name: {attempt it was computed for, exponent}. */
  final Map<String, int[]> backoff = new HashMap<>();

  /** Host paths of the pod's volumes by volume name; null until set up. */
  Map<String, Path> volumes;

  /** Where the runtime writes the pod's logs (agents with a data dir); removed with the pod. */
  volatile Path logDirectory;

  /** Why the volumes could not be set up (the containers wait in ContainerCreating). */
  String volumeError;

  String uid;
  String nodeName;
  boolean sandboxStopped;
  boolean deleteSent;

  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
