package io.flotilla.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FitErrorTest {
  @Test
  void countsEachReasonOncePerNodeAndSortsTheCountedStrings() {
    Diagnosis d = new Diagnosis();
    d.nodeToStatus().put("a", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    d.nodeToStatus().put("b", Status.unschedulable("Insufficient cpu"));
    for (int i = 0; i < 10; i++) {
      d.nodeToStatus().put("t" + i, Status.unresolvable("node(s) were unschedulable"));
    }
    assertThat(FitError.message(12, d))
        .isEqualTo(
            "0/12 nodes are available: 1 Insufficient"
                + " memory, 10 node(s) were unschedulable, 2 Insufficient cpu.");
  }

  @Test
  void aPreFilterMessageReplacesThePerNodeCounts() {
    Diagnosis d = new Diagnosis();
    d.nodeToStatus().put("a", Status.unresolvable("x"));
    d.setPreFilterMessage("pod has unbound immediate PersistentVolumeClaims");
    d.setPostFilterMessage("preemption: nothing to do");
    assertThat(FitError.message(1, d))
        .isEqualTo(
            "0/1 nodes are available: pod has unbound"
                + " immediate PersistentVolumeClaims. preemption: nothing to do.");
  }
}
