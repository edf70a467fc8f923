package io.flotilla.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pod that fits no node, and the message users see in its FailedScheduling event and PodScheduled
 * condition, worded exactly as kube-scheduler words it: "0/5 nodes are available: 3 Insufficient
 * cpu, 2 node(s) had untolerated taint {k: v}. preemption: …".
 */
public record FitError(PodInfo pod, int numAllNodes, Diagnosis diagnosis) {
  public static final String NO_NODE_AVAILABLE = "0/%d nodes are available";

  public String message() {
    return message(numAllNodes, diagnosis);
  }

  /** Counts each reason once per node, sorts the "count reason" strings, joins them. */
  public static String message(int numAllNodes, Diagnosis diagnosis) {
    StringBuilder sb = new StringBuilder(String.format(NO_NODE_AVAILABLE, numAllNodes)).append(':');
    if (!diagnosis.preFilterMessage().isEmpty()) {
      sb.append(' ').append(diagnosis.preFilterMessage()).append('.');
    } else {
      String histogram = histogram(diagnosis.nodeToStatus());
      if (!histogram.isEmpty()) {
        sb.append(' ').append(histogram).append('.');
      }
    }
    // Upstream appends " <msg>." here too; a PostFilter message that is itself a FitError
    // therefore ends in "..", which is what kube-scheduler users see and tools match on.
    if (!diagnosis.postFilterMessage().isEmpty()) {
      sb.append(' ').append(diagnosis.postFilterMessage()).append('.');
    }
    return sb.toString();
  }

  private static String histogram(Map<String, Status> nodeToStatus) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Status s : nodeToStatus.values()) {
      for (String reason : s.reasons()) {
        counts.merge(reason, 1, Integer::sum);
      }
    }
    List<String> parts = new ArrayList<>(counts.size());
    counts.forEach((reason, n) -> parts.add(n + " " + reason));
    parts.sort(null);
    return String.join(", ", parts);
  }
}
