package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.assertHasError;
import static io.flotilla.api.validation.TestObjects.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceValidationTest {

  private static final String SERVICE =
      """
      metadata: {name: web, namespace: default}
      spec:
        selector: {app: web}
        ports:
        - {name: http, port: 80, targetPort: 8080}
        - {name: https, port: 443, targetPort: https}
      """;

  private static String service(String from, String to) {
    if (!SERVICE.contains(from)) {
      throw new IllegalArgumentException(from);
    }
    return SERVICE.replace(from, to);
  }

  static Stream<Arguments> badServices() {
    return Stream.of(
        Arguments.of(
            "no ports", "spec: {selector: {app: web}}", "FieldValueRequired", "spec.ports"),
        Arguments.of(
            "unnamed port among two",
            service("name: https, ", ""),
            "FieldValueRequired",
            "spec.ports[1].name"),
        Arguments.of(
            "duplicate port name",
            service("name: https", "name: http"),
            "FieldValueDuplicate",
            "spec.ports[1].name"),
        Arguments.of(
            "bad port name",
            service("name: https", "name: HTTPS"),
            "FieldValueInvalid",
            "spec.ports[1].name"),
        Arguments.of(
            "port zero",
            service("port: 80,", "port: 0,"),
            "FieldValueInvalid",
            "spec.ports[0].port"),
        Arguments.of(
            "port too large",
            service("port: 443", "port: 65536"),
            "FieldValueInvalid",
            "spec.ports[1].port"),
        Arguments.of(
            "bad protocol",
            service("port: 80,", "port: 80, protocol: ICMP,"),
            "FieldValueNotSupported",
            "spec.ports[0].protocol"),
        Arguments.of(
            "bad target port number",
            service("targetPort: 8080", "targetPort: 0"),
            "FieldValueInvalid",
            "spec.ports[0].targetPort"),
        Arguments.of(
            "bad target port name",
            service("targetPort: https", "targetPort: Not_A_Name"),
            "FieldValueInvalid",
            "spec.ports[1].targetPort"),
        Arguments.of(
            "duplicate port and protocol",
            service("port: 443", "port: 80"),
            "FieldValueDuplicate",
            "spec.ports[1]"),
        Arguments.of(
            "bad type",
            service("  selector:", "  type: Internal\n  selector:"),
            "FieldValueNotSupported",
            "spec.type"),
        Arguments.of(
            "node port on ClusterIP",
            service("port: 80,", "port: 80, nodePort: 30080,"),
            "FieldValueForbidden",
            "spec.ports[0].nodePort"),
        Arguments.of(
            "node port not a port number",
            service("  selector:", "  type: NodePort\n  selector:")
                .replace("port: 80,", "port: 80, nodePort: 70000,"),
            "FieldValueInvalid",
            "spec.ports[0].nodePort"),
        Arguments.of(
            "bad selector",
            service("app: web", "app: 'web app'"),
            "FieldValueInvalid",
            "spec.selector"),
        Arguments.of(
            "bad session affinity",
            service("  selector:", "  sessionAffinity: Sticky\n  selector:"),
            "FieldValueNotSupported",
            "spec.sessionAffinity"),
        Arguments.of(
            "bad cluster IP",
            service("  selector:", "  clusterIP: 10.0.0.300\n  selector:"),
            "FieldValueInvalid",
            "spec.clusterIP"),
        Arguments.of(
            "external traffic policy on ClusterIP",
            service("  selector:", "  externalTrafficPolicy: Local\n  selector:"),
            "FieldValueInvalid",
            "spec.externalTrafficPolicy"),
        Arguments.of(
            "ExternalName without a name",
            "spec: {type: ExternalName}",
            "FieldValueRequired",
            "spec.externalName"),
        Arguments.of(
            "ExternalName with bad name",
            "spec: {type: ExternalName, externalName: 'not a host'}",
            "FieldValueInvalid",
            "spec.externalName"));
  }

  @Test
  void acceptsAValidService() {
    assertThat(check("v1", "Service", SERVICE, null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "spec: {clusterIP: None, selector: {app: db}}",
        "spec: {type: ExternalName, externalName: db.example.com.}",
        "spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}",
        "spec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 80}]}",
        "spec: {clusterIP: 'fd00::10', ports: [{port: 53, protocol: UDP}]}",
      })
  void acceptsOtherValidShapes(String spec) {
    assertThat(check("v1", "Service", spec, null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badServices")
  void refusesBadServices(String description, String service, String type, String field) {
    assertHasError(check("v1", "Service", service, null), type, field, null);
  }

  @Test
  void keepsTheClusterIpOnceSet() {
    String old = service("  selector:", "  clusterIP: 10.96.0.10\n  selector:");
    String updated = service("  selector:", "  clusterIP: 10.96.0.11\n  selector:");
    assertHasError(
        check("v1", "Service", updated, old),
        "FieldValueInvalid",
        "spec.clusterIPs[0]",
        "may not change once set");
    assertThat(check("v1", "Service", old, old)).isEmpty();
  }
}
