package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.assertSameJson;
import static io.flotilla.api.validation.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.GroupVersionKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultsTest {

  private static final String POD_SPEC_OUT =
      """
        restartPolicy: Always
        dnsPolicy: ClusterFirst
        terminationGracePeriodSeconds: 30
        schedulerName: default-scheduler
        enableServiceLinks: true
        securityContext: {}
      """;

  private static final String CONTAINER_OUT =
      """
          - name: c
            image: nginx:1.27
            terminationMessagePath: /dev/termination-log
            terminationMessagePolicy: File
            imagePullPolicy: IfNotPresent
            resources: {}
      """;

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            "v1",
            "Pod",
            """
            spec:
              containers:
              - name: c
                image: nginx
                ports: [{containerPort: 80}]
                resources: {limits: {cpu: 500m}}
                readinessProbe: {httpGet: {port: 80}}
              volumes:
              - name: cfg
                configMap: {name: cfg}
              - name: scratch
            """,
            """
            spec:
              restartPolicy: Always
              dnsPolicy: ClusterFirst
              terminationGracePeriodSeconds: 30
              schedulerName: default-scheduler
              enableServiceLinks: true
              securityContext: {}
              tolerations:
              - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
              - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
              containers:
              - name: c
                image: nginx
                imagePullPolicy: Always
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                ports: [{containerPort: 80, protocol: TCP}]
                resources: {limits: {cpu: 500m}, requests: {cpu: 500m}}
                readinessProbe:
                  httpGet: {port: 80, path: /, scheme: HTTP}
                  timeoutSeconds: 1
                  periodSeconds: 10
                  successThreshold: 1
                  failureThreshold: 3
              volumes:
              - name: cfg
                configMap: {name: cfg, defaultMode: 420}
              - name: scratch
                emptyDir: {}
            """),
        Arguments.of(
            "apps/v1",
            "Deployment",
            """
            spec:
              template:
                spec:
                  containers: [{name: c, image: "nginx:1.27"}]
            """,
            """
            spec:
              replicas: 1
              strategy:
                type: RollingUpdate
                rollingUpdate: {maxUnavailable: 25%, maxSurge: 25%}
              revisionHistoryLimit: 10
              progressDeadlineSeconds: 600
              template:
                spec:
                  containers:
            """
                + CONTAINER_OUT.indent(4)
                + POD_SPEC_OUT.indent(4)),
        Arguments.of(
            "apps/v1",
            "StatefulSet",
            """
            spec:
              volumeClaimTemplates: [{metadata: {name: data}, spec: {}}]
            """,
            """
            spec:
              replicas: 1
              podManagementPolicy: OrderedReady
              updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}
              revisionHistoryLimit: 10
              persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}
              volumeClaimTemplates: [{metadata: {name: data}, spec: {volumeMode: Filesystem}}]
            """),
        Arguments.of(
            "apps/v1",
            "DaemonSet",
            "spec: {}",
            """
            spec:
              updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 0}}
              revisionHistoryLimit: 10
            """),
        Arguments.of("apps/v1", "ReplicaSet", "spec: {}", "spec: {replicas: 1}"),
        Arguments.of(
            "v1",
            "ReplicationController",
            "spec: {template: {metadata: {labels: {app: web}}}}",
            """
            metadata: {labels: {app: web}}
            spec:
              replicas: 1
              selector: {app: web}
              template:
                metadata: {labels: {app: web}}
                spec:
            """
                + POD_SPEC_OUT.indent(4)),
        Arguments.of(
            "batch/v1",
            "Job",
            "spec: {}",
            """
            spec:
              completions: 1
              parallelism: 1
              backoffLimit: 6
              completionMode: NonIndexed
              suspend: false
              podReplacementPolicy: TerminatingOrFailed
            """),
        Arguments.of(
            "batch/v1",
            "CronJob",
            "spec: {schedule: '@hourly'}",
            """
            spec:
              schedule: '@hourly'
              concurrencyPolicy: Allow
              suspend: false
              successfulJobsHistoryLimit: 3
              failedJobsHistoryLimit: 1
            """),
        Arguments.of(
            "v1",
            "Service",
            "spec: {ports: [{port: 80}], selector: {app: web}}",
            """
            spec:
              type: ClusterIP
              sessionAffinity: None
              ports: [{port: 80, protocol: TCP, targetPort: 80}]
              selector: {app: web}
              internalTrafficPolicy: Cluster
              ipFamilyPolicy: SingleStack
              ipFamilies: [IPv4]
            """),
        Arguments.of(
            "v1",
            "Service",
            "spec: {type: NodePort, ports: [{port: 80, targetPort: http}]}",
            """
            spec:
              type: NodePort
              sessionAffinity: None
              ports: [{port: 80, protocol: TCP, targetPort: http}]
              externalTrafficPolicy: Cluster
              internalTrafficPolicy: Cluster
              ipFamilyPolicy: SingleStack
              ipFamilies: [IPv4]
            """),
        Arguments.of(
            "v1",
            "Service",
            "spec: {type: ExternalName, externalName: example.com}",
            "spec: {type: ExternalName, externalName: example.com, sessionAffinity: None}"),
        Arguments.of(
            "v1", "Secret", "stringData: {user: admin}", "type: Opaque\ndata: {user: YWRtaW4=}"),
        Arguments.of("v1", "ConfigMap", "data: {a: b}", "data: {a: b}"),
        Arguments.of(
            "v1",
            "Namespace",
            "metadata: {name: dev}",
            "metadata: {name: dev, labels: {kubernetes.io/metadata.name: dev}}\n"
                + "spec: {finalizers: [kubernetes]}\nstatus: {phase: Active}"),
        Arguments.of(
            "v1",
            "Node",
            "status: {capacity: {cpu: '4', pods: '110'}}",
            "status: {capacity: {cpu: '4', pods: '110'}, allocatable: {cpu: '4', pods: '110'}}"),
        Arguments.of(
            "v1",
            "PersistentVolumeClaim",
            "spec: {accessModes: [ReadWriteOnce]}",
            "spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem}"),
        Arguments.of(
            "v1",
            "Endpoints",
            "subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]",
            "subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80, protocol: TCP}]}]"),
        Arguments.of(
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            "spec: {maxReplicas: 5}",
            """
            spec:
              maxReplicas: 5
              minReplicas: 1
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
            """),
        Arguments.of(
            "v1",
            "LimitRange",
            "spec: {limits: [{type: Container, max: {cpu: '2'}, min: {memory: 1Mi}}]}",
            """
            spec:
              limits:
              - type: Container
                max: {cpu: '2'}
                min: {memory: 1Mi}
                default: {cpu: '2'}
                defaultRequest: {cpu: '2', memory: 1Mi}
            """),
        Arguments.of(
            "networking.k8s.io/v1",
            "NetworkPolicy",
            "spec: {podSelector: {}, egress: [{}]}",
            "spec: {podSelector: {}, egress: [{}], policyTypes: [Ingress, Egress]}"),
        Arguments.of(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            "value: 1000",
            "value: 1000\npreemptionPolicy: PreemptLowerPriority"),
        Arguments.of(
            "storage.k8s.io/v1",
            "StorageClass",
            "provisioner: example.com/disk",
            "provisioner: example.com/disk\nreclaimPolicy: Delete\nvolumeBindingMode: Immediate"),
        Arguments.of(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            "subjects: [{kind: User, name: jane}, {kind: ServiceAccount, name: default}]",
            """
            subjects:
            - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
            - {kind: ServiceAccount, name: default, apiGroup: ''}
            """),
        Arguments.of(
            "coordination.k8s.io/v1",
            "Lease",
            "spec: {holderIdentity: a}",
            "spec: {holderIdentity: a}"));
  }

  @ParameterizedTest(name = "{1} ({0}) gets upstream''s defaults")
  @MethodSource("kinds")
  void defaultsAMinimalObject(String apiVersion, String kind, String in, String out) {
    ObjectNode object = yaml(in);
    Defaults.apply(GroupVersionKind.of(apiVersion, kind), object);
    assertSameJson(object, yaml(out));
  }

  @ParameterizedTest(name = "{1} ({0}) is unchanged by defaulting twice")
  @MethodSource("kinds")
  void defaultingIsIdempotent(String apiVersion, String kind, String in, String out) {
    ObjectNode once = yaml(in);
    GroupVersionKind gvk = GroupVersionKind.of(apiVersion, kind);
    Defaults.apply(gvk, once);
    ObjectNode twice = once.deepCopy();
    Defaults.apply(gvk, twice);
    assertSameJson(twice, once);
  }

  @ParameterizedTest(name = "image {0} is pulled {1}")
  @CsvSource({
    "nginx, Always",
    "nginx:latest, Always",
    "nginx:1.27, IfNotPresent",
    "registry:5000/team/app, Always",
    "registry:5000/team/app:v2, IfNotPresent",
    "nginx@sha256:abcdef, IfNotPresent",
  })
  void choosesThePullPolicyFromTheTag(String image, String policy) {
    assertThat(PodDefaults.pullPolicy(image)).isEqualTo(policy);
  }

  @Test
  void keepsValuesTheUserSet() {
    ObjectNode deployment =
        yaml("spec: {replicas: 3, strategy: {type: Recreate}, revisionHistoryLimit: 2}");
    Defaults.apply(GroupVersionKind.of("apps/v1", "Deployment"), deployment);
    assertSameJson(
        deployment,
        yaml(
            "spec: {replicas: 3, strategy: {type: Recreate}, revisionHistoryLimit: 2,"
                + " progressDeadlineSeconds: 600}"));
  }

  @Test
  void givesAJobWithAUidItsGeneratedSelector() {
    ObjectNode job = yaml("metadata: {name: pi, uid: u-1}\nspec: {template: {spec: {}}}");
    Defaults.apply(GroupVersionKind.of("batch/v1", "Job"), job);
    assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText())
        .isEqualTo("u-1");
    assertThat(job.at("/spec/template/metadata/labels/job-name").asText()).isEqualTo("pi");
    assertThat(
            Validation.validate(GroupVersionKind.of("batch/v1", "Job"), withContainer(job), null))
        .isEmpty();
  }

  @Test
  void copiesHostNetworkContainerPortsToHostPorts() {
    ObjectNode pod =
        yaml(
            "spec: {hostNetwork: true, containers: [{name: c, image: x, ports: [{containerPort: 53}]}]}");
    Defaults.apply(GroupVersionKind.of("v1", "Pod"), pod);
    assertThat(pod.at("/spec/containers/0/ports/0/hostPort").asInt()).isEqualTo(53);
  }

  @Test
  void addsDefaultTolerationSecondsOnlyForTaintsThePodDoesNotTolerate() {
    ObjectNode own =
        yaml(
            "spec: {containers: [{name: c, image: x}], tolerations: [{key: node.kubernetes.io/not-ready,"
                + " operator: Exists, effect: NoExecute, tolerationSeconds: 5}]}");
    Defaults.apply(GroupVersionKind.of("v1", "Pod"), own);
    assertThat(own.at("/spec/tolerations").size()).isEqualTo(2);
    assertThat(own.at("/spec/tolerations/0/tolerationSeconds").asLong()).isEqualTo(5);
    assertThat(own.at("/spec/tolerations/1/key").asText())
        .isEqualTo("node.kubernetes.io/unreachable");
    assertThat(own.at("/spec/tolerations/1/tolerationSeconds").asLong()).isEqualTo(300);
    ObjectNode everything =
        yaml("spec: {containers: [{name: c, image: x}], tolerations: [{operator: Exists}]}");
    Defaults.apply(GroupVersionKind.of("v1", "Pod"), everything);
    assertThat(everything.at("/spec/tolerations").size()).isEqualTo(1);
  }

  private static ObjectNode withContainer(ObjectNode job) {
    ((ObjectNode) job.at("/spec/template/spec"))
        .putArray("containers")
        .addObject()
        .put("name", "c")
        .put("image", "busybox");
    ((ObjectNode) job.at("/spec/template/spec")).put("restartPolicy", "Never");
    return job;
  }
}
