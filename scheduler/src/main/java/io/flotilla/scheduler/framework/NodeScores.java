package io.flotilla.scheduler.framework;

/** Score range and the normalization most plugins share. */
public final class NodeScores {
  public static final long MAX_NODE_SCORE = 100;
  public static final long MIN_NODE_SCORE = 0;

  private NodeScores() {}

  /**
   * Scales scores so the highest becomes {@link #MAX_NODE_SCORE}; with {@code reverse} the lowest
   * raw score gets the highest result. All-zero scores become 0 (or max when reversed).
   */
  public static void defaultNormalize(long[] scores, boolean reverse) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      if (max == 0) {
        scores[i] = reverse ? MAX_NODE_SCORE : 0;
        continue;
      }
      long s = MAX_NODE_SCORE * scores[i] / max;
      scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
  }
}
