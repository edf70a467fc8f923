package io.flotilla.scheduler.plugins.defaultpreemption;

import io.flotilla.scheduler.framework.PodInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Picks the candidate that does the least harm, by upstream's criteria in order: the lowest
 * highest-priority victim; the smallest sum of victim priorities; the fewest victims; the
 * latest-started highest-priority victims (they lose the least work); then the first. (Upstream
 * first minimizes PodDisruptionBudget violations; PDBs are not modelled yet.)
 */
final class CandidateSelector {
  private CandidateSelector() {}

  /** Most important first: higher priority, then earlier start. */
  static final Comparator<PodInfo> MORE_IMPORTANT =
      Comparator.comparingInt(PodInfo::priority)
          .reversed()
          .thenComparing(CandidateSelector::startTime);

  static Candidate pick(List<Candidate> candidates) {
    List<Candidate> left = new ArrayList<>(candidates);
    for (Candidate c : left) {
      if (c.victims().isEmpty()) {
        return c;
      }
    }
    left = keepMin(left, c -> c.victims().get(0).priority());
    left =
        keepMin(
            left,
            c -> {
              long sum = 0;
              for (PodInfo v : c.victims()) {
                // Shifted so that negative priorities still add up to a larger harm for more pods.
                sum += (long) v.priority() + Integer.MAX_VALUE + 1L;
              }
              return sum;
            });
    left = keepMin(left, c -> c.victims().size());
    left = keepMin(left, c -> -earliestStartOfHighestPriority(c).toEpochMilli());
    return left.get(0);
  }

  private static List<Candidate> keepMin(List<Candidate> in, ToLongFunction<Candidate> key) {
    if (in.size() <= 1) {
      return in;
    }
    long min = Long.MAX_VALUE;
    for (Candidate c : in) {
      min = Math.min(min, key.applyAsLong(c));
    }
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : in) {
      if (key.applyAsLong(c) == min) {
        out.add(c);
      }
    }
    return out;
  }

  private static Instant earliestStartOfHighestPriority(Candidate c) {
    int top = c.victims().get(0).priority();
    Instant earliest = Instant.MAX;
    for (PodInfo v : c.victims()) {
      if (v.priority() == top && startTime(v).isBefore(earliest)) {
        earliest = startTime(v);
      }
    }
    return earliest;
  }

  static Instant startTime(PodInfo p) {
    var status = p.pod().getStatus();
    String t = status == null ? null : status.getStartTime();
    if (t == null) {
      t = p.pod().getMetadata().getCreationTimestamp();
    }
    return t == null ? Instant.EPOCH : Instant.parse(t);
  }
}
