package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.assertHasError;
import static io.flotilla.api.validation.TestObjects.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadValidationTest {

  private static final String TEMPLATE =
      """
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: c, image: nginx}]
      """;

  private static final String DEPLOYMENT =
      "metadata: {name: web, namespace: default}\nspec:\n  selector: {matchLabels: {app: web}}\n"
          + TEMPLATE;

  private static String edit(String base, String from, String to) {
    if (!base.contains(from)) {
      throw new IllegalArgumentException(from);
    }
    return base.replace(from, to);
  }

  static Stream<Arguments> valid() {
    String sts = DEPLOYMENT + "  serviceName: web\n";
    String job =
        "metadata: {name: pi, namespace: default}\nspec:\n"
            + edit(TEMPLATE, "    spec:\n", "    spec:\n      restartPolicy: Never\n");
    String cron =
        "metadata: {name: pi, namespace: default}\nspec:\n  schedule: '*/5 * * * *'\n"
            + "  jobTemplate:\n    spec:\n"
            + edit(TEMPLATE, "    spec:\n", "    spec:\n      restartPolicy: OnFailure\n")
                .indent(4);
    return Stream.of(
        Arguments.of("apps/v1", "Deployment", DEPLOYMENT),
        Arguments.of("apps/v1", "ReplicaSet", DEPLOYMENT),
        Arguments.of("apps/v1", "DaemonSet", DEPLOYMENT),
        Arguments.of("apps/v1", "StatefulSet", sts),
        Arguments.of("v1", "ReplicationController", "spec:\n" + TEMPLATE),
        Arguments.of("batch/v1", "Job", job),
        Arguments.of("batch/v1", "CronJob", cron));
  }

  @Test
  void aStatefulSetContainerMayMountItsVolumeClaimTemplateButNotAnUnknownVolume() {
    String sts =
        edit(
                DEPLOYMENT,
                "containers: [{name: c, image: nginx}]",
                "containers: [{name: c, image: nginx, volumeMounts: [{name: data, mountPath: /d}]}]")
            + "  serviceName: web\n"
            + "  volumeClaimTemplates:\n"
            + "  - metadata: {name: data}\n"
            + "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";

    assertThat(check("apps/v1", "StatefulSet", sts, null)).isEmpty();
    assertHasError(
        check("apps/v1", "StatefulSet", edit(sts, "{name: data}", "{name: other}"), null),
        "FieldValueNotFound",
        "spec.template.spec.containers[0].volumeMounts[0].name",
        "Not found");
  }

  @ParameterizedTest(name = "a valid {1} passes")
  @MethodSource("valid")
  void acceptsValidWorkloads(String apiVersion, String kind, String object) {
    assertThat(check(apiVersion, kind, object, null)).isEmpty();
  }

  static Stream<Arguments> bad() {
    String job =
        "spec:\n" + edit(TEMPLATE, "    spec:\n", "    spec:\n      restartPolicy: Never\n");
    String cron =
        "metadata: {name: pi}\nspec:\n  schedule: '0 * * * *'\n  jobTemplate:\n    spec:\n"
            + edit(TEMPLATE, "    spec:\n", "    spec:\n      restartPolicy: OnFailure\n")
                .indent(4);
    return Stream.of(
        Arguments.of(
            "Deployment",
            "no selector",
            edit(DEPLOYMENT, "  selector: {matchLabels: {app: web}}\n", ""),
            "FieldValueRequired",
            "spec.selector"),
        Arguments.of(
            "Deployment",
            "empty selector",
            edit(DEPLOYMENT, "{matchLabels: {app: web}}", "{}"),
            "FieldValueInvalid",
            "spec.selector"),
        Arguments.of(
            "Deployment",
            "selector not matching",
            edit(DEPLOYMENT, "{matchLabels: {app: web}}", "{matchLabels: {app: api}}"),
            "FieldValueInvalid",
            "spec.template.metadata.labels"),
        Arguments.of(
            "Deployment",
            "bad expression operator",
            edit(
                DEPLOYMENT,
                "{matchLabels: {app: web}}",
                "{matchExpressions: [{key: app, operator: Is, values: [web]}]}"),
            "FieldValueNotSupported",
            "spec.selector.matchExpressions[0].operator"),
        Arguments.of(
            "Deployment",
            "negative replicas",
            DEPLOYMENT + "  replicas: -1\n",
            "FieldValueInvalid",
            "spec.replicas"),
        Arguments.of(
            "Deployment",
            "restart policy Never",
            edit(DEPLOYMENT, "    spec:\n", "    spec:\n      restartPolicy: Never\n"),
            "FieldValueNotSupported",
            "spec.template.spec.restartPolicy"),
        Arguments.of(
            "Deployment",
            "bad strategy",
            DEPLOYMENT + "  strategy: {type: BlueGreen}\n",
            "FieldValueNotSupported",
            "spec.strategy.type"),
        Arguments.of(
            "Deployment",
            "surge and unavailable both zero",
            DEPLOYMENT
                + "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n",
            "FieldValueInvalid",
            "spec.strategy.rollingUpdate.maxUnavailable"),
        Arguments.of(
            "Deployment",
            "bad percentage",
            DEPLOYMENT + "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 'half'}}\n",
            "FieldValueInvalid",
            "spec.strategy.rollingUpdate.maxSurge"),
        Arguments.of(
            "Deployment",
            "unavailable above 100%",
            DEPLOYMENT
                + "  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 150%}}\n",
            "FieldValueInvalid",
            "spec.strategy.rollingUpdate.maxUnavailable"),
        Arguments.of(
            "Deployment",
            "rollingUpdate with Recreate",
            DEPLOYMENT + "  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n",
            "FieldValueForbidden",
            "spec.strategy.rollingUpdate"),
        Arguments.of(
            "Deployment",
            "deadline not above minReady",
            DEPLOYMENT + "  minReadySeconds: 600\n",
            "FieldValueInvalid",
            "spec.progressDeadlineSeconds"),
        Arguments.of(
            "Deployment",
            "bad container in template",
            edit(DEPLOYMENT, "image: nginx", "image: ''"),
            "FieldValueRequired",
            "spec.template.spec.containers[0].image"),
        Arguments.of(
            "ReplicaSet",
            "selector not matching",
            edit(DEPLOYMENT, "{matchLabels: {app: web}}", "{matchLabels: {app: api}}"),
            "FieldValueInvalid",
            "spec.template.metadata.labels"),
        Arguments.of(
            "DaemonSet",
            "bad update strategy",
            DEPLOYMENT + "  updateStrategy: {type: Always}\n",
            "FieldValueNotSupported",
            "spec.updateStrategy.type"),
        Arguments.of(
            "StatefulSet",
            "bad pod management",
            DEPLOYMENT + "  podManagementPolicy: Random\n",
            "FieldValueNotSupported",
            "spec.podManagementPolicy"),
        Arguments.of(
            "StatefulSet",
            "negative partition",
            DEPLOYMENT
                + "  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: -1}}\n",
            "FieldValueInvalid",
            "spec.updateStrategy.rollingUpdate.partition"),
        Arguments.of(
            "ReplicationController",
            "selector not matching",
            "spec:\n  selector: {app: api}\n" + TEMPLATE,
            "FieldValueInvalid",
            "spec.template.metadata.labels"),
        Arguments.of(
            "Job",
            "restart policy Always",
            edit(job, "restartPolicy: Never", "restartPolicy: Always"),
            "FieldValueNotSupported",
            "spec.template.spec.restartPolicy"),
        Arguments.of(
            "Job",
            "negative parallelism",
            job + "  parallelism: -1\n",
            "FieldValueInvalid",
            "spec.parallelism"),
        Arguments.of(
            "Job",
            "bad completion mode",
            job + "  completionMode: Sometimes\n",
            "FieldValueNotSupported",
            "spec.completionMode"),
        Arguments.of(
            "Job",
            "indexed without completions",
            job + "  completionMode: Indexed\n  parallelism: 2\n",
            "FieldValueRequired",
            "spec.completions"),
        Arguments.of(
            "Job",
            "selector not matching",
            job + "  manualSelector: true\n  selector: {matchLabels: {app: x}}\n",
            "FieldValueInvalid",
            "spec.template.metadata.labels"),
        Arguments.of(
            "CronJob",
            "bad schedule",
            edit(cron, "'0 * * * *'", "'0 * * *'"),
            "FieldValueInvalid",
            "spec.schedule"),
        Arguments.of(
            "CronJob",
            "minute out of range",
            edit(cron, "'0 * * * *'", "'61 * * * *'"),
            "FieldValueInvalid",
            "spec.schedule"),
        Arguments.of(
            "CronJob",
            "TZ in schedule",
            edit(cron, "'0 * * * *'", "'TZ=UTC 0 * * * *'"),
            "FieldValueInvalid",
            "spec.schedule"),
        Arguments.of(
            "CronJob",
            "unknown time zone",
            cron + "  timeZone: Mars/Olympus\n",
            "FieldValueInvalid",
            "spec.timeZone"),
        Arguments.of(
            "CronJob",
            "bad concurrency policy",
            cron + "  concurrencyPolicy: Sometimes\n",
            "FieldValueNotSupported",
            "spec.concurrencyPolicy"),
        Arguments.of(
            "CronJob",
            "restart policy Always",
            edit(cron, "restartPolicy: OnFailure", "restartPolicy: Always"),
            "FieldValueNotSupported",
            "spec.jobTemplate.spec.template.spec.restartPolicy"),
        Arguments.of(
            "CronJob",
            "name too long",
            edit(cron, "name: pi", "name: " + "c".repeat(53)),
            "FieldValueInvalid",
            "metadata.name"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("bad")
  void refusesBadWorkloads(
      String kind, String description, String object, String type, String field) {
    String apiVersion =
        switch (kind) {
          case "Job", "CronJob" -> "batch/v1";
          case "ReplicationController" -> "v1";
          default -> "apps/v1";
        };
    assertHasError(check(apiVersion, kind, object, null), type, field, null);
  }

  @Test
  void wordsASelectorMismatchAsUpstream() {
    assertHasError(
        check(
            "apps/v1",
            "Deployment",
            edit(DEPLOYMENT, "{matchLabels: {app: web}}", "{matchLabels: {app: api}}"),
            null),
        "FieldValueInvalid",
        "spec.template.metadata.labels",
        "`selector` does not match template `labels`");
  }

  @ParameterizedTest(name = "a {0} selector is immutable")
  @CsvSource({"Deployment", "ReplicaSet", "DaemonSet"})
  void keepsSelectorsFixed(String kind) {
    String updated =
        edit(DEPLOYMENT, "{matchLabels: {app: web}}", "{matchLabels: {app: web, tier: a}}")
            .replace("labels: {app: web}", "labels: {app: web, tier: a}");
    assertHasError(
        check("apps/v1", kind, updated, DEPLOYMENT),
        "FieldValueInvalid",
        "spec.selector",
        "field is immutable");
    assertThat(check("apps/v1", kind, DEPLOYMENT + "  minReadySeconds: 5\n", DEPLOYMENT)).isEmpty();
  }

  @Test
  void letsAStatefulSetChangeOnlyItsMutableFields() {
    String sts = DEPLOYMENT + "  serviceName: web\n";
    assertThat(check("apps/v1", "StatefulSet", sts + "  replicas: 3\n", sts)).isEmpty();
    assertHasError(
        check("apps/v1", "StatefulSet", edit(sts, "serviceName: web", "serviceName: api"), sts),
        "FieldValueForbidden",
        "spec",
        "updates to statefulset spec for fields other than");
  }

  @Test
  void keepsAJobsTemplateFixedUnlessSuspended() {
    String job =
        "spec:\n" + edit(TEMPLATE, "    spec:\n", "    spec:\n      restartPolicy: Never\n");
    String changed = edit(job, "image: nginx", "image: httpd");
    assertHasError(
        check("batch/v1", "Job", changed, job),
        "FieldValueInvalid",
        "spec.template",
        "field is immutable");
    String suspended = job + "  suspend: true\n";
    assertThat(check("batch/v1", "Job", changed + "  suspend: true\n", suspended)).isEmpty();
  }
}
