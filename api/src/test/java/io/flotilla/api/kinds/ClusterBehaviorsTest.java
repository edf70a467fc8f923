package io.flotilla.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterBehaviorsTest {

  static Stream<Arguments> nodes() {
    return Stream.of(
        Arguments.of("no conditions", "{}", "Unknown"),
        Arguments.of("ready", "{status: {conditions: [{type: 'Ready', status: 'True'}]}}", "Ready"),
        Arguments.of(
            "not ready",
            "{status: {conditions: [{type: 'Ready', status: 'Unknown'}]}}",
            "NotReady"),
        Arguments.of(
            "cordoned",
            "{spec: {unschedulable: true}, status: {conditions: [{type: 'MemoryPressure', status:"
                + " 'False'}, {type: 'Ready', status: 'True'}]}}",
            "Ready,SchedulingDisabled"),
        Arguments.of(
            "cordoned without conditions",
            "{spec: {unschedulable: true}}",
            "Unknown,SchedulingDisabled"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodes")
  void printsNodeStatusLikeUpstream(String name, String json, String status) {
    assertThat(ClusterBehaviors.node().tableCells(Json.parse(json), Json.NOW).get(1))
        .isEqualTo(status);
  }

  @Test
  void printsNodeRolesVersionAndWideColumns() {
    var node =
        Json.parse(
            "{metadata: {name: 'n1', labels: {'node-role.kubernetes.io/control-plane': '',"
                + " 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'worker'}}, status:"
                + " {nodeInfo: {kubeletVersion: 'v1.33.0', osImage: 'Debian 13', kernelVersion:"
                + " '6.12.0'}, addresses: [{type: 'Hostname', address: 'n1'}, {type:"
                + " 'InternalIP', address: '192.168.1.10'}]}}");

    assertThat(ClusterBehaviors.node().tableCells(node, Json.NOW))
        .containsExactly(
            "n1",
            "Unknown",
            "control-plane,worker",
            "<unknown>",
            "v1.33.0",
            "192.168.1.10",
            "<none>",
            "Debian 13",
            "6.12.0",
            "<unknown>");
  }

  @Test
  void selectsNodesOnUnschedulableAndNamespacesOnPhase() {
    assertThat(
            ClusterBehaviors.node()
                .fieldSelectors()
                .get("spec.unschedulable")
                .apply(Json.parse("{spec: {unschedulable: true}}")))
        .isEqualTo("true");
    assertThat(
            ClusterBehaviors.node()
                .fieldSelectors()
                .get("spec.unschedulable")
                .apply(Json.parse("{}")))
        .isEqualTo("false");
    assertThat(
            ClusterBehaviors.namespace()
                .fieldSelectors()
                .get("status.phase")
                .apply(Json.parse("{status: {phase: 'Terminating'}}")))
        .isEqualTo("Terminating");
  }

  @Test
  void printsResourceQuotaRequestsAndLimitsSortedByResource() {
    var quota =
        Json.parse(
            "{metadata: {name: 'q'}, status: {hard: {pods: '10', 'limits.cpu': '4',"
                + " 'requests.cpu': '2'}, used: {pods: '3', 'requests.cpu': '500m'}}}");

    assertThat(ClusterBehaviors.resourceQuota().tableCells(quota, Json.NOW))
        .containsExactly("q", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 0/4", "<unknown>");
  }

  @Test
  void printsDefaultStorageClassWithUpstreamDefaults() {
    var sc =
        Json.parse(
            "{metadata: {name: 'local', annotations: {'storageclass.kubernetes.io/is-default-class':"
                + " 'true'}}, provisioner: 'rancher.io/local-path'}");

    assertThat(StorageBehaviors.storageClass().tableCells(sc, Json.NOW))
        .containsExactly(
            "local (default)", "rancher.io/local-path", "Delete", "Immediate", false, "<unknown>");
  }

  @Test
  void printsBoundClaimWithVolumeCapacityAndModes() {
    var pvc =
        Json.parse(
            "{metadata: {name: 'data'}, spec: {volumeName: 'pv-1', storageClassName: 'local'},"
                + " status: {phase: 'Bound', capacity: {storage: '1Gi'}, accessModes:"
                + " ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']}}");

    assertThat(StorageBehaviors.persistentVolumeClaim().tableCells(pvc, Json.NOW))
        .containsExactly(
            "data", "Bound", "pv-1", "1Gi", "RWO,RWX", "local", "<unset>", "<unknown>", "<unset>");
  }
}
