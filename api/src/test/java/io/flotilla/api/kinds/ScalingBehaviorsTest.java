package io.flotilla.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScalingBehaviorsTest {

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("v2 without metrics", "{spec: {}}", "<none>"),
        Arguments.of(
            "v1 CPU target before the first reading",
            "{spec: {targetCPUUtilizationPercentage: 80}}",
            "cpu: <unknown>/80%"),
        Arguments.of(
            "v1 CPU target with a reading",
            "{spec: {targetCPUUtilizationPercentage: 80}, status:"
                + " {currentCPUUtilizationPercentage: 42}}",
            "cpu: 42%/80%"),
        Arguments.of(
            "v2 resource utilization and pods average value",
            "{spec: {metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type:"
                + " 'Utilization', averageUtilization: 50}}}, {type: 'Pods', pods: {target:"
                + " {type: 'AverageValue', averageValue: '1k'}}}]}, status: {currentMetrics:"
                + " [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization:"
                + " 30}}}]}}",
            "cpu: 30%/50%, <unknown>/1k"),
        Arguments.of(
            "more than two metrics",
            "{spec: {metrics: [{type: 'External', external: {target: {type: 'Value', value:"
                + " '5'}}}, {type: 'Object', object: {target: {type: 'AverageValue',"
                + " averageValue: '2'}}}, {type: 'Resource', resource: {name: 'memory', target:"
                + " {type: 'AverageValue', averageValue: '1Gi'}}}]}}",
            "<unknown>/5, <unknown>/2 (avg) + 1 more..."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void printsHpaTargetsLikeUpstream(String name, String json, String expected) {
    assertThat(ScalingBehaviors.targets(Json.parse(json))).isEqualTo(expected);
  }

  @Test
  void printsHpaReferenceAndReplicaBounds() {
    var hpa =
        Json.parse(
            "{metadata: {name: 'web'}, spec: {scaleTargetRef: {kind: 'Deployment', name:"
                + " 'web'}, maxReplicas: 10}, status: {currentReplicas: 3}}");

    assertThat(ScalingBehaviors.horizontalPodAutoscaler().tableCells(hpa, Json.NOW))
        .containsExactly("web", "Deployment/web", "<none>", "<unset>", 10L, 3L, "<unknown>");
  }

  @Test
  void printsDisruptionBudgetBoundsAsGiven() {
    var pdb =
        Json.parse(
            "{metadata: {name: 'db'}, spec: {minAvailable: '50%'}, status: {disruptionsAllowed:"
                + " 1}}");

    assertThat(ScalingBehaviors.podDisruptionBudget().tableCells(pdb, Json.NOW))
        .containsExactly("db", "50%", "N/A", 1L, "<unknown>");
  }
}
