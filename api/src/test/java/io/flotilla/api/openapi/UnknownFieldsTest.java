package io.flotilla.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.GroupVersionKind;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {
  private static final GroupVersionKind DEPLOYMENT =
      new GroupVersionKind("apps", "v1", "Deployment");
  private final ObjectMapper json = new ObjectMapper();
  private final UnknownFields unknownFields = new UnknownFields();

  private ObjectNode deployment(String containerExtra, String specExtra) throws Exception {
    return (ObjectNode)
        json.readTree(
            """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","labels":{"app":"web"},"annotations":{"any/key":"v"}},
             "spec":{"replicas":2,%s"selector":{"matchLabels":{"app":"web"}},
               "strategy":{"rollingUpdate":{"maxSurge":"25%%","maxUnavailable":1}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"c","image":"busybox",%s
                   "resources":{"limits":{"cpu":"100m","memory":1024}},
                   "ports":[{"containerPort":80}]}]}}}}
            """
                .formatted(specExtra, containerExtra));
  }

  @Test
  void findsNothingInAValidObject() throws Exception {
    assertThat(unknownFields.find(DEPLOYMENT, deployment("", ""))).isEmpty();
  }

  @Test
  void namesUnknownFieldsWithTheirFullPath() throws Exception {
    assertThat(
            unknownFields.find(
                DEPLOYMENT, deployment("\"imagePullPolicyy\":\"x\",", "\"replica\":3,")))
        .containsExactlyInAnyOrder(
            "spec.replica", "spec.template.spec.containers[0].imagePullPolicyy");
  }

  @Test
  void pruneRemovesUnknownFieldsAndKeepsTheRest() throws Exception {
    ObjectNode d = deployment("\"bogus\":1,", "");
    assertThat(unknownFields.prune(DEPLOYMENT, d))
        .containsExactly("spec.template.spec.containers[0].bogus");
    assertThat(d.at("/spec/template/spec/containers/0").has("bogus")).isFalse();
    assertThat(d.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("busybox");
  }

  @Test
  void kindsWithoutASchemaAcceptEverything() throws Exception {
    var gvk = new GroupVersionKind("example.com", "v1", "Widget");
    assertThat(unknownFields.find(gvk, json.readTree("{\"spec\":{\"x\":1}}"))).isEmpty();
  }
}
