package io.flotilla.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadBehaviorsTest {

  @Test
  void printsDeploymentReadyCountsContainersAndSelector() {
    var deployment =
        Json.parse(
            "{metadata: {name: 'web', creationTimestamp: '2024-05-01T11:57:00Z'}, spec:"
                + " {replicas: 3, selector: {matchLabels: {app: 'web'}, matchExpressions: [{key:"
                + " 'env', operator: 'In', values: ['prod', 'canary']}]}, template: {spec:"
                + " {containers: [{name: 'nginx', image: 'nginx:1.27'}, {name: 'log', image:"
                + " 'busybox'}]}}}, status: {readyReplicas: 2, updatedReplicas: 3,"
                + " availableReplicas: 2}}");

    assertThat(WorkloadBehaviors.deployment().tableCells(deployment, Json.NOW))
        .containsExactly(
            "web",
            "2/3",
            3L,
            2L,
            "3m",
            "nginx,log",
            "nginx:1.27,busybox",
            "app=web,env in (canary,prod)");
  }

  @Test
  void printsAFreshDeploymentWithZeroes() {
    var cells =
        WorkloadBehaviors.deployment()
            .tableCells(Json.parse("{metadata: {name: 'x'}, spec: {replicas: 1}}"), Json.NOW);

    assertThat(cells.subList(1, 4)).containsExactly("0/1", 0L, 0L);
    assertThat(cells.get(7)).isEqualTo("");
  }

  @Test
  void printsStatefulSetReadyOverDesired() {
    var sts =
        Json.parse(
            "{metadata: {name: 'db'}, spec: {replicas: 3, template: {spec: {containers: [{name:"
                + " 'pg', image: 'postgres:16'}]}}}, status: {readyReplicas: 1}}");

    assertThat(WorkloadBehaviors.statefulSet().tableCells(sts, Json.NOW))
        .containsExactly("db", "1/3", "<unknown>", "pg", "postgres:16");
  }

  @Test
  void printsReplicaSetCountsAndSelectsOnReplicas() {
    var rs =
        Json.parse(
            "{metadata: {name: 'web-1'}, spec: {replicas: 2, selector: {matchLabels: {app:"
                + " 'web'}}}, status: {replicas: 2, readyReplicas: 1}}");
    var behavior = WorkloadBehaviors.replicaSet();

    assertThat(behavior.tableCells(rs, Json.NOW).subList(0, 4))
        .containsExactly("web-1", 2L, 2L, 1L);
    assertThat(behavior.tableCells(rs, Json.NOW).get(7)).isEqualTo("app=web");
    assertThat(behavior.fieldSelectors().get("status.replicas").apply(rs)).isEqualTo("2");
    assertThat(behavior.fieldSelectors().get("status.replicas").apply(Json.parse("{}")))
        .isEqualTo("0");
  }

  @Test
  void printsDaemonSetNodeSelector() {
    var ds =
        Json.parse(
            "{metadata: {name: 'agent'}, spec: {template: {spec: {nodeSelector: {'kubernetes.io/os':"
                + " 'linux'}}}}, status: {desiredNumberScheduled: 3, currentNumberScheduled: 3,"
                + " numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2}}");

    assertThat(WorkloadBehaviors.daemonSet().tableCells(ds, Json.NOW).subList(0, 7))
        .containsExactly("agent", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux");
  }

  @Test
  void printsTheControllerOfARevision() {
    var revision =
        Json.parse(
            "{metadata: {name: 'db-5d8f', ownerReferences: [{apiVersion: 'apps/v1', kind:"
                + " 'StatefulSet', name: 'db', controller: true}]}, revision: 4}");

    assertThat(WorkloadBehaviors.controllerRevision().tableCells(revision, Json.NOW))
        .containsExactly("db-5d8f", "statefulset.apps/db", 4L, "<unknown>");
  }

  static Stream<Arguments> jobs() {
    return Stream.of(
        Arguments.of(
            "running with completions",
            "{spec: {completions: 3}, status: {succeeded: 1, startTime: '2024-05-01T11:59:30Z'}}",
            "Running",
            "1/3",
            "30s"),
        Arguments.of(
            "complete, duration from start to completion",
            "{spec: {completions: 1}, status: {succeeded: 1, startTime: '2024-05-01T10:00:00Z',"
                + " completionTime: '2024-05-01T10:05:00Z', conditions: [{type: 'Complete',"
                + " status: 'True'}]}}",
            "Complete",
            "1/1",
            "5m"),
        Arguments.of(
            "work queue with parallelism",
            "{spec: {parallelism: 4}, status: {}}",
            "Running",
            "0/1 of 4",
            ""),
        Arguments.of(
            "failed beats terminating",
            "{metadata: {deletionTimestamp: '2024-05-01T11:00:00Z'}, spec: {}, status:"
                + " {conditions: [{type: 'Failed', status: 'True'}]}}",
            "Failed",
            "0/1",
            ""),
        Arguments.of(
            "terminating beats suspended",
            "{metadata: {deletionTimestamp: '2024-05-01T11:00:00Z'}, spec: {}, status:"
                + " {conditions: [{type: 'Suspended', status: 'True'}]}}",
            "Terminating",
            "0/1",
            ""),
        Arguments.of(
            "suspended",
            "{spec: {}, status: {conditions: [{type: 'Suspended', status: 'True'}]}}",
            "Suspended",
            "0/1",
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jobs")
  void printsJobStatusCompletionsAndDuration(
      String name, String json, String status, String completions, String duration) {
    var cells = BatchBehaviors.job().tableCells(Json.parse(json), Json.NOW);

    assertThat(cells.subList(1, 4)).containsExactly(status, completions, duration);
  }

  @Test
  void selectsJobsOnSuccessfulCount() {
    var job = Json.parse("{status: {succeeded: 2}}");

    assertThat(BatchBehaviors.job().fieldSelectors().get("status.successful").apply(job))
        .isEqualTo("2");
  }

  @Test
  void printsCronJobScheduleSuspendAndLastSchedule() {
    var cronJob =
        Json.parse(
            "{metadata: {name: 'backup'}, spec: {schedule: '*/5 * * * *', suspend: false,"
                + " jobTemplate: {spec: {template: {spec: {containers: [{name: 'b', image:"
                + " 'tool'}]}}}}}, status: {active: [{name: 'backup-1'}], lastScheduleTime:"
                + " '2024-05-01T11:55:00Z'}}");

    assertThat(BatchBehaviors.cronJob().tableCells(cronJob, Json.NOW))
        .containsExactly(
            "backup",
            "*/5 * * * *",
            "<none>",
            "False",
            1L,
            "5m",
            "<unknown>",
            "b",
            "tool",
            "<none>");
  }
}
