package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Matches a failed pod against a Job's {@code podFailurePolicy} as upstream's {@code
 * matchPodFailurePolicy}: rules in order, the first that matches decides (FailJob, FailIndex,
 * Ignore, Count); no match means Count. Exit codes of 0 never match; only pods in phase Failed are
 * matched. Stateless.
 */
final class PodFailurePolicies {
  private PodFailurePolicies() {}

  /** What a rule decided, and the message upstream writes for FailJob. */
  record Match(String action, String message) {}

  static Optional<Match> match(PodFailurePolicy policy, Pod pod) {
    if (policy == null || policy.getRules() == null || pod.getStatus() == null) {
      return Optional.empty();
    }
    if (!"Failed".equals(pod.getStatus().getPhase())) {
      return Optional.empty();
    }
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule rule = rules.get(i);
      if (rule.getOnExitCodes() != null) {
        Optional<ContainerStatus> c = matchingContainer(pod, rule.getOnExitCodes());
        if (c.isPresent()) {
          String msg =
              "Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d"
                  .formatted(
                      c.get().getName(),
                      pod.getMetadata().getNamespace(),
                      pod.getMetadata().getName(),
                      c.get().getState().getTerminated().getExitCode(),
                      rule.getAction(),
                      i);
          return Optional.of(new Match(rule.getAction(), msg));
        }
      }
      if (rule.getOnPodConditions() != null && !rule.getOnPodConditions().isEmpty()) {
        for (PodFailurePolicyOnPodConditionsPattern p : rule.getOnPodConditions()) {
          String want = p.getStatus() == null ? "True" : p.getStatus();
          boolean hit =
              pod.getStatus().getConditions() != null
                  && pod.getStatus().getConditions().stream()
                      .anyMatch(c -> p.getType().equals(c.getType()) && want.equals(c.getStatus()));
          if (hit) {
            String msg =
                "Pod %s/%s has condition %s matching %s rule at index %d"
                    .formatted(
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        p.getType(),
                        rule.getAction(),
                        i);
            return Optional.of(new Match(rule.getAction(), msg));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<ContainerStatus> matchingContainer(
      Pod pod, PodFailurePolicyOnExitCodesRequirement req) {
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      all.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      all.addAll(pod.getStatus().getContainerStatuses());
    }
    for (ContainerStatus cs : all) {
      if (cs.getState() == null || cs.getState().getTerminated() == null) {
        continue;
      }
      if (req.getContainerName() != null && !req.getContainerName().equals(cs.getName())) {
        continue;
      }
      int code = cs.getState().getTerminated().getExitCode();
      if (code == 0) {
        continue;
      }
      boolean in = req.getValues() != null && req.getValues().contains(code);
      if ("In".equals(req.getOperator()) == in) {
        return Optional.of(cs);
      }
    }
    return Optional.empty();
  }
}
