package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl delete namespace} on a namespace holding objects of many kinds, custom ones
 * included, against the real server and simulated nodes: nothing is left behind.
 */
class NamespaceDeletionE2ETest extends SimulatedClusterTest {
  private static final String KINDS =
      "configmaps,secrets,services,deployments,replicasets,pods,serviceaccounts,gadgets";

  NamespaceDeletionE2ETest() {
    super(2);
  }

  @Test
  void deletingANamespaceWithObjectsOfManyKindsLeavesNothingBehind() {
    kubectl
        .runWithInput(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.e2e.flotilla.io
            spec:
              group: e2e.flotilla.io
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    await("the Gadget resource served")
        .atMost(SimulatedCluster.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "gadgets", "-A").exitCode() == 0);
    kubectl.run("create", "namespace", "doomed").assertOk();
    kubectl
        .runWithInput(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: doomed}
            data: {a: "1"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: token, namespace: doomed}
            stringData: {t: secret}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: doomed}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: doomed}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: c, image: nginx:1.27}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: single, namespace: doomed}
            spec:
              containers: [{name: c, image: nginx:1.27}]
            ---
            apiVersion: e2e.flotilla.io/v1
            kind: Gadget
            metadata: {name: g1, namespace: doomed, finalizers: []}
            spec: {size: 3}
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    kubectl.run("rollout", "status", "deployment/web", "-n", "doomed", "--timeout=300s").assertOk();
    await("pod single Running and the default ServiceAccount made")
        .atMost(SimulatedCluster.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl
                        .run(
                            "get",
                            "pod",
                            "single",
                            "-n",
                            "doomed",
                            "-o",
                            "jsonpath={.status.phase}")
                        .stdout()
                        .equals("Running")
                    && kubectl.run("get", "serviceaccount", "default", "-n", "doomed").exitCode()
                        == 0);
    assertThat(everything()).hasSizeGreaterThanOrEqualTo(10);

    kubectl.run("delete", "namespace", "doomed", "--timeout=300s").assertOk();

    await("namespace doomed gone")
        .atMost(SimulatedCluster.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "namespace", "doomed").stderr().contains("NotFound"));
    assertThat(everything()).as("objects left in doomed").isEmpty();
    // The Gadget kind itself is cluster-wide and stays.
    kubectl.run("get", "crd", "gadgets.e2e.flotilla.io").assertOk();
  }

  private java.util.List<String> everything() {
    return kubectl
        .run("get", KINDS, "-n", "doomed", "-o", "name")
        .assertOk()
        .stdout()
        .lines()
        .toList();
  }
}
