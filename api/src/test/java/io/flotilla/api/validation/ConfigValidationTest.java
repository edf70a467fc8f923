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

class ConfigValidationTest {

  static Stream<Arguments> badConfigMaps() {
    return Stream.of(
        Arguments.of("key with a slash", "data: {'a/b': x}", "FieldValueInvalid", "data[a/b]"),
        Arguments.of("key of dots", "data: {'..': x}", "FieldValueInvalid", "data[..]"),
        Arguments.of(
            "binary key also in data",
            "data: {a: x}\nbinaryData: {a: eA==}",
            "FieldValueInvalid",
            "binaryData[a]"),
        Arguments.of(
            "binary data not base64",
            "binaryData: {a: '!!!'}",
            "FieldValueInvalid",
            "binaryData[a]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigMaps")
  void refusesBadConfigMaps(String description, String cm, String type, String field) {
    assertHasError(check("v1", "ConfigMap", cm, null), type, field, null);
  }

  @Test
  void refusesConfigMapsLargerThanOneMebibyte() {
    // Built directly: parsing a megabyte of YAML would dominate the test's time.
    com.fasterxml.jackson.databind.node.ObjectNode cm =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    cm.putObject("data").put("a", "x".repeat(ConfigValidation.MAX_SIZE));
    assertHasError(
        Validation.validate(io.flotilla.api.GroupVersionKind.of("v1", "ConfigMap"), cm, null),
        "FieldValueTooLong",
        "",
        "1048576");
  }

  @Test
  void acceptsAValidConfigMap() {
    assertThat(
            check(
                "v1",
                "ConfigMap",
                "data: {app.properties: 'a=b', .env: x, KEY_1: y}\nbinaryData: {b: AAEC}",
                null))
        .isEmpty();
  }

  static Stream<Arguments> badSecrets() {
    return Stream.of(
        Arguments.of("data not base64", "data: {a: '***'}", "FieldValueInvalid", "data[a]"),
        Arguments.of("bad key", "data: {'a b': eA==}", "FieldValueInvalid", "data[a b]"),
        Arguments.of(
            "tls without key",
            "type: kubernetes.io/tls\ndata: {tls.crt: eA==}",
            "FieldValueRequired",
            "data[tls.key]"),
        Arguments.of(
            "tls without cert",
            "type: kubernetes.io/tls\ndata: {tls.key: eA==}",
            "FieldValueRequired",
            "data[tls.crt]"),
        Arguments.of(
            "docker config missing",
            "type: kubernetes.io/dockerconfigjson\ndata: {}",
            "FieldValueRequired",
            "data[.dockerconfigjson]"),
        Arguments.of(
            "docker config not JSON",
            "type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: bm90IGpzb24=}",
            "FieldValueInvalid",
            "data[.dockerconfigjson]"),
        Arguments.of(
            "basic auth without either",
            "type: kubernetes.io/basic-auth\ndata: {}",
            "FieldValueRequired",
            "data[username]"),
        Arguments.of(
            "ssh without key",
            "type: kubernetes.io/ssh-auth\ndata: {}",
            "FieldValueRequired",
            "data[ssh-privatekey]"),
        Arguments.of(
            "token without account",
            "type: kubernetes.io/service-account-token\ndata: {}",
            "FieldValueRequired",
            "metadata.annotations[kubernetes.io/service-account.name]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSecrets")
  void refusesBadSecrets(String description, String secret, String type, String field) {
    assertHasError(check("v1", "Secret", secret, null), type, field, null);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "data: {password: cGFzcw==}",
        "stringData: {password: pass}",
        "type: kubernetes.io/tls\ndata: {tls.crt: eA==, tls.key: eA==}",
        "type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: eyJhdXRocyI6e319}",
        "type: kubernetes.io/basic-auth\ndata: {username: eA==}",
        "type: example.com/custom\ndata: {anything: eA==}",
      })
  void acceptsValidSecrets(String secret) {
    assertThat(check("v1", "Secret", secret, null)).isEmpty();
  }

  @Test
  void freezesImmutableConfigMaps() {
    String old = "immutable: true\ndata: {a: x}";
    assertHasError(
        check("v1", "ConfigMap", "immutable: true\ndata: {a: y}", old),
        "FieldValueForbidden",
        "data",
        "field is immutable when `immutable` is set");
    assertHasError(
        check("v1", "ConfigMap", "immutable: false\ndata: {a: x}", old),
        "FieldValueForbidden",
        "immutable",
        null);
    assertThat(
            check(
                "v1",
                "ConfigMap",
                "immutable: true\ndata: {a: x}\nmetadata: {labels: {b: c}}",
                old))
        .isEmpty();
    assertThat(check("v1", "ConfigMap", "data: {a: y}", "data: {a: x}")).isEmpty();
  }

  @Test
  void freezesImmutableSecretsAndSecretTypes() {
    assertHasError(
        check(
            "v1", "Secret", "immutable: true\ndata: {a: eQ==}", "immutable: true\ndata: {a: eA==}"),
        "FieldValueForbidden",
        "data",
        null);
    assertHasError(
        check("v1", "Secret", "type: example.com/b", "type: example.com/a"),
        "FieldValueInvalid",
        "type",
        "field is immutable");
  }
}
