package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bootstrapped local-path StorageClass and the DefaultStorageClass admission. */
class DefaultStorageClassTest {
  static TestCluster c;
  static final String CLAIMS = "/api/v1/namespaces/default/persistentvolumeclaims";
  static final String CLASSES = "/apis/storage.k8s.io/v1/storageclasses";

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  private static String claim(String name, String classField) {
    return """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"%s"},
         "spec":{"accessModes":["ReadWriteOnce"],%s
                 "resources":{"requests":{"storage":"1Gi"}}}}"""
        .formatted(name, classField);
  }

  private JsonNode create(String body) throws Exception {
    HttpResponse<String> r = c.send("POST", CLAIMS, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return c.json(r);
  }

  @Test
  void theLocalPathClassIsTheDefaultFromTheFirstStart() throws Exception {
    HttpResponse<String> r = c.send("GET", CLASSES + "/local-path", null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode sc = c.json(r);
    assertThat(sc.path("provisioner").asText()).isEqualTo("flotilla.io/local-path");
    assertThat(sc.path("volumeBindingMode").asText()).isEqualTo("WaitForFirstConsumer");
    assertThat(sc.path("reclaimPolicy").asText()).isEqualTo("Delete");
    assertThat(
            sc.path("metadata")
                .path("annotations")
                .path("storageclass.kubernetes.io/is-default-class")
                .asText())
        .isEqualTo("true");
  }

  @Test
  void aClaimWithoutAClassGetsTheDefaultOne() throws Exception {
    JsonNode pvc = create(claim("plain", ""));
    assertThat(pvc.path("spec").path("storageClassName").asText()).isEqualTo("local-path");
  }

  @Test
  void anExplicitEmptyClassIsLeftAlone() throws Exception {
    JsonNode pvc = create(claim("classless", "\"storageClassName\":\"\","));
    assertThat(pvc.path("spec").path("storageClassName").isTextual()).isTrue();
    assertThat(pvc.path("spec").path("storageClassName").asText()).isEmpty();
  }

  @Test
  void aNamedClassIsKeptEvenWhenItDoesNotExist() throws Exception {
    JsonNode pvc = create(claim("fast", "\"storageClassName\":\"fast\","));
    assertThat(pvc.path("spec").path("storageClassName").asText()).isEqualTo("fast");
  }

  @Test
  void theBetaClassAnnotationCountsAsAChoice() throws Exception {
    String body =
        """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"beta",
          "annotations":{"volume.beta.kubernetes.io/storage-class":"old"}},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""";
    JsonNode pvc = create(body);
    assertThat(pvc.path("spec").has("storageClassName")).isFalse();
  }

  @Test
  void withoutADefaultClassTheClaimStaysWithoutOne() throws Exception {
    String notDefault =
        """
        {"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"false"}}}""";
    String isDefault =
        """
        {"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}""";
    String merge = "Content-Type";
    try {
      assertThat(
              c.send(
                      "PATCH",
                      CLASSES + "/local-path",
                      notDefault,
                      merge,
                      "application/merge-patch+json")
                  .statusCode())
          .isEqualTo(200);
      JsonNode pvc = create(claim("nodefault", ""));
      assertThat(pvc.path("spec").has("storageClassName")).isFalse();
    } finally {
      c.send("PATCH", CLASSES + "/local-path", isDefault, merge, "application/merge-patch+json");
    }
  }
}
