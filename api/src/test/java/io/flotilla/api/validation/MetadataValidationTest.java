package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.assertHasError;
import static io.flotilla.api.validation.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.FieldError;
import io.flotilla.api.GroupVersionKind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MetadataValidationTest {

  static Stream<Arguments> badMetadata() {
    return Stream.of(
        Arguments.of("no name", "{namespace: ns}", "FieldValueRequired", "metadata.name"),
        Arguments.of(
            "upper-case name", "{name: Web, namespace: ns}", "FieldValueInvalid", "metadata.name"),
        Arguments.of(
            "long name",
            "{name: " + "a".repeat(254) + ", namespace: ns}",
            "FieldValueInvalid",
            "metadata.name"),
        Arguments.of(
            "bad generateName",
            "{generateName: Web-, namespace: ns}",
            "FieldValueInvalid",
            "metadata.generateName"),
        Arguments.of(
            "missing namespace", "{name: web}", "FieldValueRequired", "metadata.namespace"),
        Arguments.of(
            "bad namespace",
            "{name: web, namespace: a.b}",
            "FieldValueInvalid",
            "metadata.namespace"),
        Arguments.of(
            "bad label key",
            "{name: web, namespace: ns, labels: {'-app': x}}",
            "FieldValueInvalid",
            "metadata.labels"),
        Arguments.of(
            "long label value",
            "{name: web, namespace: ns, labels: {app: " + "v".repeat(64) + "}}",
            "FieldValueInvalid",
            "metadata.labels"),
        Arguments.of(
            "bad annotation key",
            "{name: web, namespace: ns, annotations: {'a/b/c': x}}",
            "FieldValueInvalid",
            "metadata.annotations"),
        Arguments.of(
            "bad finalizer",
            "{name: web, namespace: ns, finalizers: ['a b']}",
            "FieldValueInvalid",
            "metadata.finalizers"),
        Arguments.of(
            "duplicate finalizer",
            "{name: web, namespace: ns, finalizers: [a/b, a/b]}",
            "FieldValueDuplicate",
            "metadata.finalizers[1]"),
        Arguments.of(
            "owner without uid",
            "{name: web, namespace: ns, ownerReferences: [{apiVersion: v1, kind: Pod, name: p}]}",
            "FieldValueInvalid",
            "metadata.ownerReferences.uid"),
        Arguments.of(
            "owner without kind",
            "{name: web, namespace: ns, ownerReferences: [{apiVersion: v1, name: p, uid: u}]}",
            "FieldValueInvalid",
            "metadata.ownerReferences.kind"),
        Arguments.of(
            "two controllers",
            "{name: web, namespace: ns, ownerReferences: [{apiVersion: v1, kind: A, name: a, uid: a, controller: true}, {apiVersion: v1, kind: B, name: b, uid: b, controller: true}]}",
            "FieldValueInvalid",
            "metadata.ownerReferences"),
        Arguments.of(
            "negative generation",
            "{name: web, namespace: ns, generation: -1}",
            "FieldValueInvalid",
            "metadata.generation"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMetadata")
  void refusesBadMetadata(String description, String meta, String type, String field) {
    List<FieldError> errors =
        Validation.validateMetadata(yaml("metadata: " + meta), true, NameRule.DNS_SUBDOMAIN);
    assertHasError(errors, type, field, null);
  }

  @Test
  void acceptsGoodMetadata() {
    assertThat(
            Validation.validateMetadata(
                yaml(
                    """
                    metadata:
                      name: web.example
                      namespace: default
                      labels: {app.kubernetes.io/name: web, tier: ''}
                      annotations: {Example.com/Note: anything goes here}
                      finalizers: [kubernetes.io/pvc-protection]
                      ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u1, controller: true}]
                    """),
                true,
                NameRule.DNS_SUBDOMAIN))
        .isEmpty();
  }

  @Test
  void wordsABadNameAsUpstream() {
    List<FieldError> errors =
        Validation.validateMetadata(yaml("metadata: {name: Web}"), false, NameRule.DNS_SUBDOMAIN);
    assertThat(errors)
        .containsExactly(
            new FieldError(
                "FieldValueInvalid",
                "metadata.name",
                "Invalid value: \"Web\": " + Names.DNS1123_SUBDOMAIN_MSG));
  }

  @Test
  void requiresNameOrGenerateNameWithUpstreamsDetail() {
    assertThat(Validation.validateMetadata(yaml("metadata: {}"), false, NameRule.DNS_SUBDOMAIN))
        .containsExactly(
            new FieldError(
                "FieldValueRequired",
                "metadata.name",
                "Required value: name or generateName is required"));
  }

  @Test
  void forbidsANamespaceOnClusterScopedKinds() {
    assertHasError(
        Validation.validateMetadata(
            yaml("metadata: {name: n, namespace: x}"), false, NameRule.DNS_LABEL),
        "FieldValueForbidden",
        "metadata.namespace",
        "not allowed on this type");
  }

  @Test
  void limitsAnnotationsTo256KiB() {
    String big = "x".repeat(MetadataValidation.TOTAL_ANNOTATION_SIZE_LIMIT);
    assertHasError(
        Validation.validateMetadata(
            yaml("metadata: {name: n, annotations: {k: " + big + "}}"),
            false,
            NameRule.DNS_SUBDOMAIN),
        "FieldValueTooLong",
        "metadata.annotations",
        "262144");
  }

  @ParameterizedTest(name = "{0} {1} names follow {2}")
  @CsvSource({
    "v1, Namespace, DNS_LABEL",
    "v1, Service, DNS1035_LABEL",
    "v1, Pod, DNS_SUBDOMAIN",
    "rbac.authorization.k8s.io/v1, ClusterRole, PATH_SEGMENT",
    "rbac.authorization.k8s.io/v1, RoleBinding, PATH_SEGMENT",
    "apps/v1, Deployment, DNS_SUBDOMAIN",
  })
  void choosesTheNameRuleByKind(String apiVersion, String kind, NameRule rule) {
    assertThat(Validation.nameRule(GroupVersionKind.of(apiVersion, kind))).isEqualTo(rule);
  }

  @Test
  void rbacNamesMayHoldColons() {
    assertThat(
            Validation.validateMetadata(
                yaml("metadata: {name: 'system:controller:x'}"), false, NameRule.PATH_SEGMENT))
        .isEmpty();
  }

  @Test
  void namesAndNamespacesCannotChangeOnUpdate() {
    assertHasError(
        Validation.validate(
            GroupVersionKind.of("v1", "ConfigMap"),
            yaml("metadata: {name: b, namespace: ns}"),
            yaml("metadata: {name: a, namespace: ns}")),
        "FieldValueInvalid",
        "metadata.name",
        "field is immutable");
  }
}
