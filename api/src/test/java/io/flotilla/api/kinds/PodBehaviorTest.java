package io.flotilla.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodBehaviorTest {

  private static final String TWO_CONTAINERS =
      "spec: {containers: [{name: 'a', image: 'x'}, {name: 'b', image: 'y'}]}";

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(
            "pending without statuses",
            "{" + TWO_CONTAINERS + ", status: {phase: 'Pending'}}",
            "0/2",
            "Pending",
            "0"),
        Arguments.of(
            "running and ready",
            "{"
                + TWO_CONTAINERS
                + ", status: {phase: 'Running', containerStatuses: ["
                + "{name: 'a', ready: true, restartCount: 0, state: {running: {}}},"
                + "{name: 'b', ready: true, restartCount: 0, state: {running: {}}}]}}",
            "2/2",
            "Running",
            "0"),
        Arguments.of(
            "crash loop with last restart time",
            "{"
                + TWO_CONTAINERS
                + ", status: {phase: 'Running', containerStatuses: ["
                + "{name: 'a', ready: false, restartCount: 3, state: {waiting: {reason:"
                + " 'CrashLoopBackOff'}}, lastState: {terminated: {exitCode: 1, finishedAt:"
                + " '2024-05-01T11:58:00Z'}}},"
                + "{name: 'b', ready: true, restartCount: 0, state: {running: {}}}]}}",
            "1/2",
            "CrashLoopBackOff",
            "3 (2m ago)"),
        Arguments.of(
            "completed",
            "{spec: {containers: [{name: 'a'}]}, status: {phase: 'Succeeded', containerStatuses:"
                + " [{name: 'a', ready: false, state: {terminated: {exitCode: 0, reason:"
                + " 'Completed'}}}]}}",
            "0/1",
            "Completed",
            "0"),
        Arguments.of(
            "terminated without reason shows the exit code",
            "{spec: {containers: [{name: 'a'}]}, status: {phase: 'Failed', containerStatuses:"
                + " [{name: 'a', state: {terminated: {exitCode: 137}}}]}}",
            "0/1",
            "ExitCode:137",
            "0"),
        Arguments.of(
            "terminated by a signal",
            "{spec: {containers: [{name: 'a'}]}, status: {phase: 'Failed', containerStatuses:"
                + " [{name: 'a', state: {terminated: {exitCode: 0, signal: 9}}}]}}",
            "0/1",
            "Signal:9",
            "0"),
        Arguments.of(
            "first init container running",
            "{spec: {initContainers: [{name: 'i'}], containers: [{name: 'a'}]}, status: {phase:"
                + " 'Pending', initContainerStatuses: [{name: 'i', state: {running: {}}}],"
                + " containerStatuses: [{name: 'a', state: {waiting: {reason:"
                + " 'PodInitializing'}}}]}}",
            "0/1",
            "Init:0/1",
            "0"),
        Arguments.of(
            "init container crashing",
            "{spec: {initContainers: [{name: 'i'}], containers: [{name: 'a'}]}, status: {phase:"
                + " 'Pending', initContainerStatuses: [{name: 'i', restartCount: 2, state:"
                + " {waiting: {reason: 'CrashLoopBackOff'}}}]}}",
            "0/1",
            "Init:CrashLoopBackOff",
            "2"),
        Arguments.of(
            "init container failed",
            "{spec: {initContainers: [{name: 'i'}], containers: [{name: 'a'}]}, status: {phase:"
                + " 'Pending', initContainerStatuses: [{name: 'i', state: {terminated:"
                + " {exitCode: 2}}}]}}",
            "0/1",
            "Init:ExitCode:2",
            "0"),
        Arguments.of(
            "second of two init containers",
            "{spec: {initContainers: [{name: 'i'}, {name: 'j'}], containers: [{name: 'a'}]},"
                + " status: {phase: 'Pending', initContainerStatuses: [{name: 'i', state:"
                + " {terminated: {exitCode: 0, reason: 'Completed'}}}, {name: 'j', state:"
                + " {running: {}}}]}}",
            "0/1",
            "Init:1/2",
            "0"),
        Arguments.of(
            "started sidecar counts as a ready container",
            "{spec: {initContainers: [{name: 's', restartPolicy: 'Always'}], containers:"
                + " [{name: 'a'}]}, status: {phase: 'Running', conditions: [{type:"
                + " 'Initialized', status: 'True'}], initContainerStatuses: [{name: 's',"
                + " started: true, ready: true, restartCount: 1, state: {running: {}}}],"
                + " containerStatuses: [{name: 'a', ready: true, state: {running: {}}}]}}",
            "2/2",
            "Running",
            "1"),
        Arguments.of(
            "deleting a running pod",
            "{metadata: {deletionTimestamp: '2024-05-01T11:59:00Z'}, spec: {containers:"
                + " [{name: 'a'}]}, status: {phase: 'Running', containerStatuses: [{name: 'a',"
                + " ready: true, state: {running: {}}}]}}",
            "1/1",
            "Terminating",
            "0"),
        Arguments.of(
            "deleting a finished pod keeps its reason",
            "{metadata: {deletionTimestamp: '2024-05-01T11:59:00Z'}, spec: {containers:"
                + " [{name: 'a'}]}, status: {phase: 'Succeeded', containerStatuses: [{name:"
                + " 'a', state: {terminated: {exitCode: 0, reason: 'Completed'}}}]}}",
            "0/1",
            "Completed",
            "0"),
        Arguments.of(
            "deleting a pod on a lost node",
            "{metadata: {deletionTimestamp: '2024-05-01T11:59:00Z'}, spec: {containers:"
                + " [{name: 'a'}]}, status: {phase: 'Running', reason: 'NodeLost'}}",
            "0/1",
            "Unknown",
            "0"),
        Arguments.of(
            "scheduling gated",
            "{spec: {containers: [{name: 'a'}]}, status: {phase: 'Pending', conditions:"
                + " [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]}}",
            "0/1",
            "SchedulingGated",
            "0"),
        Arguments.of(
            "evicted pod shows the status reason",
            "{spec: {containers: [{name: 'a'}]}, status: {phase: 'Failed', reason: 'Evicted'}}",
            "0/1",
            "Evicted",
            "0"),
        Arguments.of(
            "completed container beside a running one is Running when the pod is ready",
            "{"
                + TWO_CONTAINERS
                + ", status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}],"
                + " containerStatuses: [{name: 'a', state: {terminated: {exitCode: 0, reason:"
                + " 'Completed'}}}, {name: 'b', ready: true, state: {running: {}}}]}}",
            "1/2",
            "Running",
            "0"),
        Arguments.of(
            "completed container beside a running one is NotReady otherwise",
            "{"
                + TWO_CONTAINERS
                + ", status: {phase: 'Running', containerStatuses: [{name: 'a', state:"
                + " {terminated: {exitCode: 0, reason: 'Completed'}}}, {name: 'b', ready: true,"
                + " state: {running: {}}}]}}",
            "1/2",
            "NotReady",
            "0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statuses")
  void printsReadyStatusAndRestartsLikeUpstream(
      String name, String json, String ready, String status, String restarts) {
    List<Object> cells = PodBehavior.pod().tableCells(Json.parse(json), Json.NOW);

    assertThat(cells.subList(1, 4)).containsExactly(ready, status, restarts);
  }

  @org.junit.jupiter.api.Test
  void printsWideCellsWithNonePlaceholders() {
    JsonNode pod =
        Json.parse(
            "{metadata: {name: 'web', creationTimestamp: '2024-05-01T11:00:00Z'}, spec:"
                + " {containers: [{name: 'a'}], readinessGates: [{conditionType: 'g1'},"
                + " {conditionType: 'g2'}]}, status: {phase: 'Running', podIPs: [{ip:"
                + " '10.0.0.5'}, {ip: 'fd00::5'}], conditions: [{type: 'g1', status:"
                + " 'True'}]}}");

    List<Object> cells = PodBehavior.pod().tableCells(pod, Json.NOW);

    assertThat(cells)
        .containsExactly(
            "web", "0/1", "Running", "0", "60m", "10.0.0.5", "<none>", "<none>", "1/2");
    assertThat(PodBehavior.pod().tableColumns()).hasSize(cells.size());
  }

  @org.junit.jupiter.api.Test
  void selectsOnUpstreamPodFields() {
    JsonNode pod =
        Json.parse(
            "{spec: {nodeName: 'n1', restartPolicy: 'Never', schedulerName: 'default-scheduler',"
                + " serviceAccountName: 'sa'}, status: {phase: 'Running', podIP: '10.0.0.7',"
                + " nominatedNodeName: 'n2'}}");
    var selectors = PodBehavior.pod().fieldSelectors();

    assertThat(selectors.get("spec.nodeName").apply(pod)).isEqualTo("n1");
    assertThat(selectors.get("spec.host").apply(pod)).isEqualTo("n1");
    assertThat(selectors.get("spec.restartPolicy").apply(pod)).isEqualTo("Never");
    assertThat(selectors.get("spec.schedulerName").apply(pod)).isEqualTo("default-scheduler");
    assertThat(selectors.get("spec.serviceAccountName").apply(pod)).isEqualTo("sa");
    assertThat(selectors.get("spec.hostNetwork").apply(pod)).isEqualTo("false");
    assertThat(selectors.get("status.phase").apply(pod)).isEqualTo("Running");
    assertThat(selectors.get("status.podIP").apply(pod)).isEqualTo("10.0.0.7");
    assertThat(selectors.get("status.nominatedNodeName").apply(pod)).isEqualTo("n2");
    assertThat(selectors.get("spec.nodeName").apply(Json.parse("{}"))).isEmpty();
  }
}
