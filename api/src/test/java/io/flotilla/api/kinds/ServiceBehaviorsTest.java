package io.flotilla.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceBehaviorsTest {

  static Stream<Arguments> services() {
    return Stream.of(
        Arguments.of(
            "cluster IP with two ports",
            "{spec: {type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{port: 80, protocol:"
                + " 'TCP'}, {port: 53, protocol: 'UDP'}]}}",
            List.of("ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP")),
        Arguments.of(
            "node port",
            "{spec: {type: 'NodePort', clusterIPs: ['10.96.0.11'], ports: [{port: 80, protocol:"
                + " 'TCP'}, {port: 443, nodePort: 30443, protocol: 'TCP'}]}}",
            List.of("NodePort", "10.96.0.11", "<none>", "80/TCP,443:30443/TCP")),
        Arguments.of(
            "headless without ports",
            "{spec: {type: 'ClusterIP', clusterIPs: ['None']}}",
            List.of("ClusterIP", "None", "<none>", "<none>")),
        Arguments.of(
            "cluster IP with external IPs",
            "{spec: {type: 'ClusterIP', clusterIPs: ['10.96.0.12'], externalIPs: ['1.2.3.4',"
                + " '5.6.7.8'], ports: [{port: 80}]}}",
            List.of("ClusterIP", "10.96.0.12", "1.2.3.4,5.6.7.8", "80/TCP")),
        Arguments.of(
            "load balancer pending",
            "{spec: {type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], ports: [{port: 80,"
                + " nodePort: 31000, protocol: 'TCP'}]}}",
            List.of("LoadBalancer", "10.96.0.13", "<pending>", "80:31000/TCP")),
        Arguments.of(
            "load balancer with sorted ingress points then external IPs",
            "{spec: {type: 'LoadBalancer', clusterIPs: ['10.96.0.14'], externalIPs: ['9.9.9.9'],"
                + " ports: []}, status: {loadBalancer: {ingress: [{ip: '5.5.5.5'}, {hostname:"
                + " 'lb.example.com'}, {ip: '1.1.1.1'}]}}}",
            List.of(
                "LoadBalancer", "10.96.0.14", "1.1.1.1,5.5.5.5,lb.example.com,9.9.9.9", "<none>")),
        Arguments.of(
            "external name",
            "{spec: {type: 'ExternalName', externalName: 'db.example.com'}}",
            List.of("ExternalName", "<none>", "db.example.com", "<none>")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void printsServiceCellsLikeUpstream(String name, String json, List<String> expected) {
    List<Object> cells = ServiceBehaviors.service().tableCells(Json.parse(json), Json.NOW);

    assertThat(cells.subList(1, 5)).containsExactlyElementsOf(expected);
  }

  @Test
  void printsTheSelectorSortedByKey() {
    List<Object> cells =
        ServiceBehaviors.service()
            .tableCells(
                Json.parse("{spec: {type: 'ClusterIP', selector: {tier: 'web', app: 'shop'}}}"),
                Json.NOW);

    assertThat(cells.get(6)).isEqualTo("app=shop,tier=web");
  }

  @Test
  void selectsServicesOnClusterIpAndType() {
    var selectors = ServiceBehaviors.service().fieldSelectors();
    var svc = Json.parse("{spec: {type: 'NodePort', clusterIP: '10.96.0.1'}}");

    assertThat(selectors.get("spec.type").apply(svc)).isEqualTo("NodePort");
    assertThat(selectors.get("spec.clusterIP").apply(svc)).isEqualTo("10.96.0.1");
  }

  static Stream<Arguments> endpoints() {
    return Stream.of(
        Arguments.of("no subsets", "{}", "<none>"),
        Arguments.of(
            "one port, two addresses",
            "{subsets: [{addresses: [{ip: '10.1.0.1'}, {ip: '10.1.0.2'}], ports: [{port: 8080}]}]}",
            "10.1.0.1:8080,10.1.0.2:8080"),
        Arguments.of(
            "IPv6 address is bracketed",
            "{subsets: [{addresses: [{ip: 'fd00::1'}], ports: [{port: 80}]}]}",
            "[fd00::1]:80"),
        Arguments.of(
            "headless without ports lists bare addresses",
            "{subsets: [{addresses: [{ip: '10.1.0.1'}]}]}",
            "10.1.0.1"),
        Arguments.of(
            "more than three",
            "{subsets: [{addresses: [{ip: 'a'}, {ip: 'b'}, {ip: 'c'}, {ip: 'd'}, {ip: 'e'}],"
                + " ports: [{port: 1}]}]}",
            "a:1,b:1,c:1 + 2 more..."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void printsEndpointsLikeUpstream(String name, String json, String expected) {
    assertThat(ServiceBehaviors.endpoints().tableCells(Json.parse(json), Json.NOW).get(1))
        .isEqualTo(expected);
  }

  @Test
  void printsIngressHostsAddressAndPorts() {
    var ingress =
        Json.parse(
            "{metadata: {name: 'web'}, spec: {ingressClassName: 'nginx', tls: [{hosts: ['a']}],"
                + " rules: [{host: 'a.example.com'}, {host: 'b.example.com'}]}, status:"
                + " {loadBalancer: {ingress: [{ip: '1.2.3.4'}]}}}");

    assertThat(ServiceBehaviors.ingress().tableCells(ingress, Json.NOW))
        .containsExactly(
            "web", "nginx", "a.example.com,b.example.com", "1.2.3.4", "80, 443", "<unknown>");
  }
}
