package io.flotilla.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.flotilla.api.protobuf.ProtobufDecodeException.Reason;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Policy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtobufBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Meta.ObjectMeta.Builder meta(String name) {
    return Meta.ObjectMeta.newBuilder().setName(name);
  }

  private static Quantity quantity(String value) {
    return Quantity.newBuilder().setString(value).build();
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of(
            "ConfigMap with data and binaryData",
            "v1",
            "ConfigMap",
            V1.ConfigMap.newBuilder()
                .setMetadata(meta("cm").setNamespace("ns1").putLabels("app", "web"))
                .putData("a", "b")
                .putData("empty", "")
                .putBinaryData("blob", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xfe}))
                .build(),
            """
            {"metadata":{"name":"cm","namespace":"ns1","labels":{"app":"web"}},
             "data":{"a":"b","empty":""},"binaryData":{"blob":"AAH+"}}"""),
        Arguments.of(
            "Secret with data and type",
            "v1",
            "Secret",
            V1.Secret.newBuilder()
                .setMetadata(meta("s"))
                .putData("password", ByteString.copyFromUtf8("hunter2"))
                .setType("Opaque")
                .build(),
            """
            {"metadata":{"name":"s"},"data":{"password":"aHVudGVyMg=="},"type":"Opaque"}"""),
        Arguments.of(
            "Deployment with replicas, IntOrString strategy and resources",
            "apps/v1",
            "Deployment",
            deployment(),
            """
            {"metadata":{"name":"web"},
             "spec":{"replicas":0,
               "selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"c","image":"nginx",
                   "resources":{"requests":{"cpu":"100m"},"limits":{"memory":"64Mi"}},
                   "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":5}}],
                   "volumes":[{"name":"v","configMap":{"name":"cm","defaultMode":420}}]}},
               "strategy":{"type":"RollingUpdate",
                 "rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}}}}"""),
        Arguments.of(
            "Pod with a creationTimestamp and an unset generation",
            "v1",
            "Pod",
            V1.Pod.newBuilder()
                .setMetadata(
                    meta("p")
                        .setGeneration(0)
                        .setCreationTimestamp(
                            Meta.Time.newBuilder().setSeconds(1704164645L).setNanos(999)))
                .setSpec(
                    V1.PodSpec.newBuilder()
                        .addContainers(V1.Container.newBuilder().setName("c").setImage("busybox"))
                        .setHostNetwork(false)
                        .setTerminationGracePeriodSeconds(0))
                .build(),
            """
            {"metadata":{"name":"p","creationTimestamp":"2024-01-02T03:04:05Z"},
             "spec":{"containers":[{"name":"c","image":"busybox"}],
                     "terminationGracePeriodSeconds":0}}"""),
        Arguments.of(
            "SelfSubjectAccessReview",
            "authorization.k8s.io/v1",
            "SelfSubjectAccessReview",
            V1Authorization.SelfSubjectAccessReview.newBuilder()
                .setMetadata(
                    Meta.ObjectMeta.newBuilder().setCreationTimestamp(Meta.Time.newBuilder()))
                .setSpec(
                    V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
                        .setResourceAttributes(
                            V1Authorization.ResourceAttributes.newBuilder()
                                .setNamespace("ns1")
                                .setVerb("get")
                                .setResource("pods")))
                .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder().setAllowed(false))
                .build(),
            """
            {"metadata":{"creationTimestamp":null},
             "spec":{"resourceAttributes":{"namespace":"ns1","verb":"get","resource":"pods"}},
             "status":{"allowed":false}}"""),
        Arguments.of(
            "TokenRequest bound to a pod",
            "authentication.k8s.io/v1",
            "TokenRequest",
            V1Authentication.TokenRequest.newBuilder()
                .setMetadata(meta("sa1"))
                .setSpec(
                    V1Authentication.TokenRequestSpec.newBuilder()
                        .addAudiences("https://kubernetes.default.svc")
                        .setExpirationSeconds(3600)
                        .setBoundObjectRef(
                            V1Authentication.BoundObjectReference.newBuilder()
                                .setKind("Pod")
                                .setApiVersion("v1")
                                .setName("p")
                                .setUID("1234")))
                .build(),
            """
            {"metadata":{"name":"sa1"},
             "spec":{"audiences":["https://kubernetes.default.svc"],"expirationSeconds":3600,
               "boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"1234"}}}"""),
        Arguments.of(
            "Eviction with DeleteOptions",
            "policy/v1",
            "Eviction",
            V1Policy.Eviction.newBuilder()
                .setMetadata(meta("p").setNamespace("ns1"))
                .setDeleteOptions(
                    Meta.DeleteOptions.newBuilder()
                        .setGracePeriodSeconds(0)
                        .setPreconditions(Meta.Preconditions.newBuilder().setUid("u1"))
                        .addDryRun("All"))
                .build(),
            """
            {"metadata":{"name":"p","namespace":"ns1"},
             "deleteOptions":{"gracePeriodSeconds":0,"preconditions":{"uid":"u1"},
                              "dryRun":["All"]}}"""),
        Arguments.of(
            "DeleteOptions alone",
            "v1",
            "DeleteOptions",
            Meta.DeleteOptions.newBuilder()
                .setPropagationPolicy("Foreground")
                .setOrphanDependents(false)
                .build(),
            """
            {"propagationPolicy":"Foreground","orphanDependents":false}"""),
        Arguments.of(
            "Lease with MicroTime",
            "coordination.k8s.io/v1",
            "Lease",
            V1Coordination.Lease.newBuilder()
                .setMetadata(meta("node-1").setNamespace("kube-node-lease"))
                .setSpec(
                    V1Coordination.LeaseSpec.newBuilder()
                        .setHolderIdentity("node-1")
                        .setLeaseDurationSeconds(40)
                        .setRenewTime(
                            Meta.MicroTime.newBuilder()
                                .setSeconds(1704164645L)
                                .setNanos(123456789)))
                .build(),
            """
            {"metadata":{"name":"node-1","namespace":"kube-node-lease"},
             "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,
                     "renewTime":"2024-01-02T03:04:05.123456Z"}}"""),
        Arguments.of(
            "events.k8s.io Event with managedFields",
            "events.k8s.io/v1",
            "Event",
            V1Events.Event.newBuilder()
                .setMetadata(
                    meta("e")
                        .addManagedFields(
                            Meta.ManagedFieldsEntry.newBuilder()
                                .setManager("kubectl")
                                .setOperation("Update")
                                .setFieldsType("FieldsV1")
                                .setFieldsV1(
                                    Meta.FieldsV1.newBuilder()
                                        .setRaw(ByteString.copyFromUtf8("{\"f:note\":{}}")))))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(0))
                .setNote("hello")
                .build(),
            """
            {"metadata":{"name":"e","managedFields":[{"manager":"kubectl","operation":"Update",
               "fieldsType":"FieldsV1","fieldsV1":{"f:note":{}}}]},
             "eventTime":"1970-01-01T00:00:00.000000Z","note":"hello"}"""),
        Arguments.of(
            "ControllerRevision with embedded JSON",
            "apps/v1",
            "ControllerRevision",
            V1Apps.ControllerRevision.newBuilder()
                .setMetadata(meta("rev"))
                .setData(
                    Runtime.RawExtension.newBuilder()
                        .setRaw(ByteString.copyFromUtf8("{\"spec\":{\"replicas\":2}}")))
                .setRevision(3)
                .build(),
            """
            {"metadata":{"name":"rev"},"data":{"spec":{"replicas":2}},"revision":3}"""),
        Arguments.of(
            "SubjectAccessReview with extra",
            "authorization.k8s.io/v1",
            "SubjectAccessReview",
            V1Authorization.SubjectAccessReview.newBuilder()
                .setMetadata(meta("sar"))
                .setSpec(
                    V1Authorization.SubjectAccessReviewSpec.newBuilder()
                        .setUser("alice")
                        .putExtra(
                            "scopes",
                            V1Authorization.ExtraValue.newBuilder()
                                .addItems("a")
                                .addItems("b")
                                .build())
                        .setNonResourceAttributes(
                            V1Authorization.NonResourceAttributes.newBuilder()
                                .setPath("/healthz")
                                .setVerb("get")))
                .build(),
            """
            {"metadata":{"name":"sar"},
             "spec":{"user":"alice","extra":{"scopes":["a","b"]},
                     "nonResourceAttributes":{"path":"/healthz","verb":"get"}}}"""));
  }

  private static V1Apps.Deployment deployment() {
    V1.Container container =
        V1.Container.newBuilder()
            .setName("c")
            .setImage("nginx")
            .setResources(
                V1.ResourceRequirements.newBuilder()
                    .putRequests("cpu", quantity("100m"))
                    .putLimits("memory", quantity("64Mi")))
            .setReadinessProbe(
                V1.Probe.newBuilder()
                    .setHandler(
                        V1.ProbeHandler.newBuilder()
                            .setHttpGet(
                                V1.HTTPGetAction.newBuilder()
                                    .setPath("/")
                                    .setPort(
                                        IntOrString.newBuilder().setType(1).setStrVal("http"))))
                    .setPeriodSeconds(5)
                    .setInitialDelaySeconds(0))
            .setStdin(false)
            .build();
    V1.Volume volume =
        V1.Volume.newBuilder()
            .setName("v")
            .setVolumeSource(
                V1.VolumeSource.newBuilder()
                    .setConfigMap(
                        V1.ConfigMapVolumeSource.newBuilder()
                            .setLocalObjectReference(
                                V1.LocalObjectReference.newBuilder().setName("cm"))
                            .setDefaultMode(420)))
            .build();
    return V1Apps.Deployment.newBuilder()
        .setMetadata(meta("web").setNamespace("").setGeneration(0))
        .setSpec(
            V1Apps.DeploymentSpec.newBuilder()
                .setReplicas(0)
                .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                .setTemplate(
                    V1.PodTemplateSpec.newBuilder()
                        .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                        .setSpec(
                            V1.PodSpec.newBuilder().addContainers(container).addVolumes(volume)))
                .setStrategy(
                    V1Apps.DeploymentStrategy.newBuilder()
                        .setType("RollingUpdate")
                        .setRollingUpdate(
                            V1Apps.RollingUpdateDeployment.newBuilder()
                                .setMaxSurge(IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                .setMaxUnavailable(
                                    IntOrString.newBuilder().setType(0).setIntVal(1))))
                .setMinReadySeconds(0)
                .setPaused(false))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void decodesTheMessageIntoKubernetesJson(
      String name, String apiVersion, String kind, Message message, String json)
      throws IOException {
    ObjectNode expected = (ObjectNode) JSON.readTree(json);
    expected.put("kind", kind);
    expected.put("apiVersion", apiVersion);

    ObjectNode decoded = ProtobufBodies.decode(envelope(apiVersion, kind, message));

    assertThat(decoded).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void encodesTheJsonBackIntoAnEnvelopeThatDecodesToIt(
      String name, String apiVersion, String kind, Message message, String json) {
    ObjectNode object = ProtobufBodies.decode(envelope(apiVersion, kind, message));

    byte[] encoded = ProtobufBodies.encode(object);

    assertThat(Arrays.copyOf(encoded, 4)).containsExactly(0x6b, 0x38, 0x73, 0x00);
    assertThat(ProtobufBodies.decode(encoded)).isEqualTo(object);
  }

  @Test
  void encodesWhatTheGeneratedMessageParses() throws IOException {
    ObjectNode object =
        (ObjectNode)
            JSON.readTree(
                """
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm",
                 "creationTimestamp":"2024-01-02T03:04:05Z"},"data":{"k":"v"},"immutable":true}""");

    byte[] encoded = ProtobufBodies.encode(object);

    Runtime.Unknown envelope =
        Runtime.Unknown.parseFrom(Arrays.copyOfRange(encoded, 4, encoded.length));
    V1.ConfigMap configMap = V1.ConfigMap.parseFrom(envelope.getRaw());
    assertThat(envelope.getTypeMeta().getKind()).isEqualTo("ConfigMap");
    assertThat(configMap.getMetadata().getCreationTimestamp().getSeconds()).isEqualTo(1704164645L);
    assertThat(configMap.getDataMap()).containsEntry("k", "v");
    assertThat(configMap.getImmutable()).isTrue();
  }

  @Test
  void rejectsABodyWithoutTheMagicNamingTheBytesFound() {
    byte[] body = {'{', '"', 'a', '"', ':', '1', '}'};

    assertThatThrownBy(() -> ProtobufBodies.decode(body))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC);
              assertThat(e.httpStatus()).isEqualTo(400);
            })
        .hasMessageContaining("magic prefix 6b387300")
        .hasMessageContaining("7b226122");
  }

  @Test
  void rejectsABodyShorterThanTheMagic() {
    assertThatThrownBy(() -> ProtobufBodies.decode(new byte[] {0x6b, 0x38}))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC))
        .hasMessageContaining("2 bytes");
  }

  @Test
  void rejectsAnUnknownKindNamingApiVersionAndKindWith415() {
    byte[] body = envelope("example.com/v1", "Widget", V1.ConfigMap.getDefaultInstance());

    assertThatThrownBy(() -> ProtobufBodies.decode(body))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KIND);
              assertThat(e.httpStatus()).isEqualTo(415);
            })
        .hasMessageContaining("apiVersion \"example.com/v1\" kind \"Widget\"");
  }

  @Test
  void rejectsATruncatedBodyAsMalformed() {
    byte[] body = envelope("apps/v1", "Deployment", deployment());
    byte[] truncated = Arrays.copyOf(body, body.length / 2);

    assertThatThrownBy(() -> ProtobufBodies.decode(truncated))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("malformed");
  }

  @Test
  void rejectsAnEnvelopeWhoseMessageIsGarbageNamingTheKind() {
    byte[] body = envelope("v1", "ConfigMap", ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01}));

    assertThatThrownBy(() -> ProtobufBodies.decode(body))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("v1 ConfigMap");
  }

  @Test
  void rejectsEmbeddedJsonThatIsNotJsonNamingTheField() {
    Message revision =
        V1Apps.ControllerRevision.newBuilder()
            .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("{oops")))
            .build();

    assertThatThrownBy(
            () -> ProtobufBodies.decode(envelope("apps/v1", "ControllerRevision", revision)))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("data: RawExtension does not hold JSON");
  }

  @Test
  void rejectsAContentEncodingItCannotRead() {
    Runtime.Unknown envelope =
        Runtime.Unknown.newBuilder()
            .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
            .setRaw(V1.ConfigMap.getDefaultInstance().toByteString())
            .setContentEncoding("gzip")
            .build();

    assertThatThrownBy(() -> ProtobufBodies.decode(withMagic(envelope.toByteArray())))
        .isInstanceOfSatisfying(
            ProtobufDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ENCODING))
        .hasMessageContaining("contentEncoding \"gzip\"");
  }

  @Test
  void refusesToEncodeAFieldTheKindDoesNotHave() throws IOException {
    ObjectNode object =
        (ObjectNode) JSON.readTree("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"dta\":{}}");

    assertThatThrownBy(() -> ProtobufBodies.encode(object))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ConfigMap has no field \"dta\"");
  }

  static Stream<Arguments> servedKinds() {
    return Stream.of(
            "v1 Namespace Pod Binding Service Endpoints ConfigMap Secret ServiceAccount Node Event"
                + " PersistentVolume PersistentVolumeClaim ResourceQuota LimitRange"
                + " ReplicationController PodTemplate DeleteOptions",
            "policy/v1 Eviction PodDisruptionBudget",
            "autoscaling/v1 Scale HorizontalPodAutoscaler",
            "autoscaling/v2 HorizontalPodAutoscaler",
            "authentication.k8s.io/v1 TokenRequest SelfSubjectReview",
            "authorization.k8s.io/v1 SelfSubjectAccessReview SelfSubjectRulesReview",
            "apps/v1 Deployment ReplicaSet StatefulSet DaemonSet ControllerRevision DeleteOptions",
            "batch/v1 Job CronJob",
            "coordination.k8s.io/v1 Lease",
            "discovery.k8s.io/v1 EndpointSlice",
            "events.k8s.io/v1 Event",
            "networking.k8s.io/v1 Ingress IngressClass NetworkPolicy",
            "rbac.authorization.k8s.io/v1 Role RoleBinding ClusterRole ClusterRoleBinding",
            "storage.k8s.io/v1 StorageClass",
            "scheduling.k8s.io/v1 PriorityClass",
            "meta.k8s.io/v1 DeleteOptions")
        .flatMap(
            line -> {
              String[] words = line.split(" ");
              return Arrays.stream(words, 1, words.length).map(k -> Arguments.of(words[0], k));
            });
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("servedKinds")
  void supportsEveryKindTheApiserverServes(String apiVersion, String kind) {
    assertThat(ProtobufBodies.supports(apiVersion, kind)).isTrue();
  }

  @Test
  void doesNotSupportKindsWithoutASchemaOrInTheWrongGroup() {
    assertThat(ProtobufBodies.supports("example.com/v1", "Widget")).isFalse();
    assertThat(ProtobufBodies.supports("apps/v1", "Pod")).isFalse();
    assertThat(ProtobufBodies.supports("v1", "Deployment")).isFalse();
  }

  static byte[] envelope(String apiVersion, String kind, Message message) {
    return envelope(apiVersion, kind, message.toByteString());
  }

  static byte[] envelope(String apiVersion, String kind, ByteString raw) {
    Runtime.Unknown envelope =
        Runtime.Unknown.newBuilder()
            .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
            .setRaw(raw)
            .setContentEncoding("")
            .setContentType("")
            .build();
    return withMagic(envelope.toByteArray());
  }

  private static byte[] withMagic(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x6b, 0x38, 0x73, 0x00});
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
