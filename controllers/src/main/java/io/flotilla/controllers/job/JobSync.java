package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One reconcile of one Job (upstream's {@code syncJob}): account for finished pods, decide whether
 * the job has failed or succeeded, honour suspend, start the clock, and create or delete pods to
 * match parallelism and completions. Not shared between threads.
 */
final class JobSync {
  private final JobController jc;
  private final String key;
  private Job job;
  private final List<Pod> owned;
  private final Instant now;
  private final String ts;

  JobSync(JobController jc, String key, Job job, List<Pod> owned) {
    this.jc = jc;
    this.key = key;
    this.job = job;
    this.owned = owned;
    this.now = jc.now();
    this.ts = Pods.timestamp(now);
  }

  Result run() {
    JobPodAccounting.Outcome out = jc.accounting.track(key, job, owned, jc.copyStatus(job));
    job = out.job();
    JobStatus st = out.status();
    JobStatus before = jc.copyStatus(job);
    List<Pod> active = owned.stream().filter(Pods::isActive).toList();
    long terminating = owned.stream().filter(JobPods::terminating).count();
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());

    if (!JobConditions.isTrue(st, JobConditions.FAILURE_TARGET)
        && !JobConditions.isTrue(st, JobConditions.SUCCESS_CRITERIA_MET)) {
      if (exceedsBackoff(st, active)) {
        JobConditions.set(
            st,
            JobConditions.FAILURE_TARGET,
            "True",
            JobConditions.BACKOFF_LIMIT_EXCEEDED,
            JobConditions.BACKOFF_MESSAGE,
            ts);
      } else if (!suspended && deadline(st).map(d -> !d.isAfter(now)).orElse(false)) {
        JobConditions.set(
            st,
            JobConditions.FAILURE_TARGET,
            "True",
            JobConditions.DEADLINE_EXCEEDED,
            JobConditions.DEADLINE_MESSAGE,
            ts);
      } else if (complete(st, active)) {
        JobConditions.set(
            st,
            JobConditions.SUCCESS_CRITERIA_MET,
            "True",
            JobConditions.COMPLETIONS_REACHED,
            JobConditions.COMPLETIONS_MESSAGE,
            ts);
      }
    }
    Result result = Result.done();
    boolean failing = JobConditions.isTrue(st, JobConditions.FAILURE_TARGET);
    if (failing || JobConditions.isTrue(st, JobConditions.SUCCESS_CRITERIA_MET)) {
      if (!active.isEmpty()) {
        jc.podControl.delete(key, job, active, !failing);
        terminating += failing ? active.size() : 0;
        active = List.of();
      }
      if (terminating == 0 && owned.stream().noneMatch(JobPods::hasFinalizer)) {
        finish(st, failing);
      }
    } else if (suspended) {
      if (!active.isEmpty()) {
        jc.podControl.delete(key, job, active, true);
        active = List.of();
      }
      if (JobConditions.set(
          st, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", ts)) {
        jc.events.normal(job, "Suspended", "Job suspended");
      }
    } else {
      if (JobConditions.isTrue(st, JobConditions.SUSPENDED)) {
        JobConditions.set(st, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", ts);
        st.setStartTime(ts);
        jc.events.normal(job, "Resumed", "Job resumed");
      }
      if (st.getStartTime() == null) {
        st.setStartTime(ts);
      }
      Duration wait = jc.backoff.remaining(key, now);
      active = manage(st, active, wait.isZero());
      if (!wait.isZero()) {
        result = Result.requeueAfter(wait);
      }
      Instant deadline = deadline(st).orElse(null);
      if (deadline != null) {
        Duration left = JobController.remaining(deadline, now);
        if (!result.retry() || left.compareTo(result.after()) < 0) {
          result = Result.requeueAfter(left.isZero() ? Duration.ofMillis(1) : left);
        }
      }
    }
    st.setActive(active.size());
    st.setReady((int) active.stream().filter(Pods::isReady).count());
    st.setTerminating((int) terminating);
    if (!Objects.equals(st, before)) {
      jc.podControl.updateStatus(job, st);
    }
    return result;
  }

  private void finish(JobStatus st, boolean failing) {
    JobCondition interim =
        JobConditions.get(
                st, failing ? JobConditions.FAILURE_TARGET : JobConditions.SUCCESS_CRITERIA_MET)
            .orElseThrow();
    String type = failing ? JobConditions.FAILED : JobConditions.COMPLETE;
    JobConditions.set(st, type, "True", interim.getReason(), interim.getMessage(), ts);
    if (failing) {
      jc.events.warning(job, interim.getReason(), "%s", interim.getMessage());
    } else {
      st.setCompletionTime(ts);
      jc.events.normal(job, "Completed", "Job completed");
    }
  }

  private java.util.Optional<Instant> deadline(JobStatus st) {
    Long ads = job.getSpec().getActiveDeadlineSeconds();
    if (ads == null || st.getStartTime() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Instant.parse(st.getStartTime()).plusSeconds(ads));
  }

  private boolean exceedsBackoff(JobStatus st, List<Pod> active) {
    int limit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    int failed = st.getFailed() == null ? 0 : st.getFailed();
    if (failed > limit) {
      return true;
    }
    if (!"OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())) {
      return false;
    }
    int restarts = 0;
    for (Pod p : active) {
      if (p.getStatus() == null) {
        continue;
      }
      for (List<ContainerStatus> l :
          List.of(
              p.getStatus().getContainerStatuses() == null
                  ? List.<ContainerStatus>of()
                  : p.getStatus().getContainerStatuses(),
              p.getStatus().getInitContainerStatuses() == null
                  ? List.<ContainerStatus>of()
                  : p.getStatus().getInitContainerStatuses())) {
        for (ContainerStatus cs : l) {
          restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
        }
      }
    }
    return limit == 0 ? restarts > 0 : restarts >= limit;
  }

  private boolean complete(JobStatus st, List<Pod> active) {
    Integer completions = job.getSpec().getCompletions();
    int succeeded = st.getSucceeded() == null ? 0 : st.getSucceeded();
    if (completions == null) {
      return succeeded > 0 && active.isEmpty();
    }
    if (JobPods.indexed(job)) {
      return CompletedIndexes.parse(st.getCompletedIndexes(), completions).size() >= completions;
    }
    return succeeded >= completions;
  }

  /** Creates or deletes pods; returns the pods active afterwards (created ones not yet seen). */
  private List<Pod> manage(JobStatus st, List<Pod> active, boolean mayCreate) {
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    Integer completions = job.getSpec().getCompletions();
    int succeeded = st.getSucceeded() == null ? 0 : st.getSucceeded();
    List<Pod> excess = new ArrayList<>();
    List<Integer> create = new ArrayList<>();
    if (JobPods.indexed(job)) {
      int n = completions == null ? 0 : completions;
      TreeSet<Integer> done = CompletedIndexes.parse(st.getCompletedIndexes(), n);
      Map<Integer, Pod> byIndex = new HashMap<>();
      for (Pod p : newestLast(active)) {
        int ix = JobPods.index(p, n);
        if (ix < 0 || done.contains(ix) || byIndex.containsKey(ix)) {
          excess.add(p);
        } else {
          byIndex.put(ix, p);
        }
      }
      int want = Math.max(0, Math.min(parallelism, n - done.size()));
      List<Integer> running = new ArrayList<>(new TreeSet<>(byIndex.keySet()));
      while (running.size() > want) {
        excess.add(byIndex.get(running.removeLast()));
      }
      for (int i = 0; i < n && running.size() + create.size() < want; i++) {
        if (!done.contains(i) && !byIndex.containsKey(i)) {
          create.add(i);
        }
      }
    } else {
      int want;
      if (completions == null) {
        want = succeeded > 0 ? Math.min(active.size(), parallelism) : parallelism;
      } else {
        want = Math.max(0, Math.min(parallelism, completions - succeeded));
      }
      List<Pod> ranked = new ArrayList<>(active);
      // Deletion order as upstream's ActivePods: not ready before ready, newer before older.
      ranked.sort(
          Comparator.comparing((Pod p) -> Pods.isReady(p))
              .thenComparing(
                  (Pod p) -> p.getMetadata().getCreationTimestamp(),
                  Comparator.nullsLast(Comparator.reverseOrder())));
      for (int i = 0; i < active.size() - want; i++) {
        excess.add(ranked.get(i));
      }
      for (int i = active.size(); i < want; i++) {
        create.add(-1);
      }
    }
    List<Pod> remaining = new ArrayList<>(active);
    if (!excess.isEmpty()) {
      jc.podControl.delete(key, job, excess, true);
      remaining.removeAll(excess);
    }
    if (!create.isEmpty() && mayCreate) {
      jc.podControl.create(key, job, create);
      for (int i = 0; i < create.size(); i++) {
        remaining.add(JobPods.newPod(job, create.get(i)));
      }
    }
    return remaining;
  }

  private static List<Pod> newestLast(List<Pod> pods) {
    List<Pod> l = new ArrayList<>(pods);
    l.sort(
        Comparator.comparing(
            (Pod p) -> p.getMetadata().getCreationTimestamp(),
            Comparator.nullsFirst(Comparator.naturalOrder())));
    return l;
  }
}
