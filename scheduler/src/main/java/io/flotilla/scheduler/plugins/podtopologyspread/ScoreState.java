package io.flotilla.scheduler.plugins.podtopologyspread;

import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matching pods per domain of the feasible nodes for each ScheduleAnyway constraint (hostname
 * domains are counted at Score time), each constraint's normalizing weight log(domains + 2), and
 * the feasible nodes left out for lacking a topology key.
 */
record ScoreState(
    List<SpreadConstraint> constraints,
    RequiredNodeAffinity affinity,
    List<Map<String, AtomicLong>> counts,
    double[] weights,
    Set<String> ignoredNodes) {

  static Set<String> newIgnored() {
    return new HashSet<>();
  }
}
