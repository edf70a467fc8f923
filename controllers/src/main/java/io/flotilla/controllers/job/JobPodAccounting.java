package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.flotilla.controllers.runtime.Pods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts finished pods exactly once, as upstream's {@code trackJobStatusAndRemoveFinalizers}: a
 * finished pod still holding the tracking finalizer is first recorded by uid in {@code
 * status.uncountedTerminatedPods} (written), then its finalizer is removed, then it moves into
 * {@code succeeded}/{@code failed} (and {@code completedIndexes}) (written). A crash between the
 * steps leaves the uid recorded, so the next pass neither loses nor doubles it. Pods a {@code
 * podFailurePolicy} rule ignores are released without being counted; a {@code FailJob} match sets
 * {@code FailureTarget} in the first write. Called by one reconcile at a time per job.
 */
final class JobPodAccounting {
  private final JobController jc;

  JobPodAccounting(JobController jc) {
    this.jc = jc;
  }

  record Outcome(Job job, JobStatus status) {}

  Outcome track(String key, Job job, List<Pod> owned, JobStatus st) {
    UncountedTerminatedPods u = st.getUncountedTerminatedPods();
    Set<String> succ =
        new LinkedHashSet<>(u == null || u.getSucceeded() == null ? List.of() : u.getSucceeded());
    Set<String> fail =
        new LinkedHashSet<>(u == null || u.getFailed() == null ? List.of() : u.getFailed());
    boolean indexed = JobPods.indexed(job);
    int completions = job.getSpec().getCompletions() == null ? 0 : job.getSpec().getCompletions();
    TreeSet<Integer> completed = CompletedIndexes.parse(st.getCompletedIndexes(), completions);
    String now = Pods.timestamp(jc.now());
    List<Pod> release = new ArrayList<>();
    boolean recorded = false;
    for (Pod p : owned) {
      if (!JobPods.hasFinalizer(p)) {
        continue;
      }
      String uid = p.getMetadata().getUid();
      if (succ.contains(uid) || fail.contains(uid)) {
        release.add(p);
        continue;
      }
      if (JobPods.succeeded(p)) {
        int ix = indexed ? JobPods.index(p, completions) : -1;
        if (!indexed || (ix >= 0 && !completed.contains(ix))) {
          succ.add(uid);
          recorded = true;
        }
        release.add(p);
      } else if (JobPods.failed(p)) {
        Optional<PodFailurePolicies.Match> m =
            PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p);
        String action = m.map(PodFailurePolicies.Match::action).orElse("Count");
        if (!"Ignore".equals(action)) {
          fail.add(uid);
          recorded = true;
        }
        if ("FailJob".equals(action) && !JobConditions.isTrue(st, JobConditions.FAILURE_TARGET)) {
          JobConditions.set(
              st,
              JobConditions.FAILURE_TARGET,
              "True",
              JobConditions.POD_FAILURE_POLICY,
              m.get().message(),
              now);
        }
        release.add(p);
      }
    }
    if (recorded) {
      st.setUncountedTerminatedPods(uncounted(succ, fail));
      job = jc.podControl.updateStatus(job, st);
      st = new JobStatusBuilder(job.getStatus()).build();
    }
    for (Pod p : release) {
      jc.podControl.removeFinalizer(p);
    }
    Map<String, Pod> byUid = new HashMap<>();
    owned.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
    boolean moved = false;
    int succeeded = st.getSucceeded() == null ? 0 : st.getSucceeded();
    int failed = st.getFailed() == null ? 0 : st.getFailed();
    for (String uid : List.copyOf(succ)) {
      Pod p = byUid.get(uid);
      if (p != null && JobPods.hasFinalizer(p) && !release.contains(p)) {
        continue;
      }
      succ.remove(uid);
      moved = true;
      succeeded++;
      if (indexed && p != null && JobPods.index(p, completions) >= 0) {
        completed.add(JobPods.index(p, completions));
      }
      jc.backoff.succeeded(key);
    }
    for (String uid : List.copyOf(fail)) {
      Pod p = byUid.get(uid);
      if (p != null && JobPods.hasFinalizer(p) && !release.contains(p)) {
        continue;
      }
      fail.remove(uid);
      moved = true;
      failed++;
      jc.backoff.failed(key, p == null ? jc.now() : JobPods.finishedAt(p, jc.now()));
    }
    if (moved) {
      st.setSucceeded(succeeded);
      st.setFailed(failed);
      if (indexed) {
        st.setCompletedIndexes(CompletedIndexes.format(completed));
      }
      st.setUncountedTerminatedPods(uncounted(succ, fail));
      job = jc.podControl.updateStatus(job, st);
      st = new JobStatusBuilder(job.getStatus()).build();
    }
    return new Outcome(job, st);
  }

  private static UncountedTerminatedPods uncounted(Set<String> succ, Set<String> fail) {
    UncountedTerminatedPods u = new UncountedTerminatedPods();
    u.setSucceeded(new ArrayList<>(succ));
    u.setFailed(new ArrayList<>(fail));
    return u;
  }
}
