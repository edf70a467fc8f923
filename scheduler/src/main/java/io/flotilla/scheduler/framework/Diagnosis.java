package io.flotilla.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Why a pod found no node: each rejected node's status, the plugins that rejected it (for
 * requeueing on the right events), and the PreFilter/PostFilter messages.
 */
public final class Diagnosis {
  private final Map<String, Status> nodeToStatus = new HashMap<>();
  private final Set<String> unschedulablePlugins = new HashSet<>();
  private String preFilterMessage = "";
  private String postFilterMessage = "";

  public Map<String, Status> nodeToStatus() {
    return nodeToStatus;
  }

  public Set<String> unschedulablePlugins() {
    return unschedulablePlugins;
  }

  public String preFilterMessage() {
    return preFilterMessage;
  }

  public void setPreFilterMessage(String message) {
    this.preFilterMessage = message;
  }

  public String postFilterMessage() {
    return postFilterMessage;
  }

  public void setPostFilterMessage(String message) {
    this.postFilterMessage = message;
  }
}
