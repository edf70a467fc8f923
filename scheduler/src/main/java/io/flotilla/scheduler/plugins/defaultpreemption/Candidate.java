package io.flotilla.scheduler.plugins.defaultpreemption;

import io.flotilla.scheduler.framework.PodInfo;
import java.util.List;

/** A node where evicting {@code victims} (most important first) makes the pod fit. */
record Candidate(String nodeName, List<PodInfo> victims) {}
