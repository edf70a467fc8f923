/**
 * Custom resources: from a CustomResourceDefinition (apiextensions.k8s.io/v1, handled as JSON) to
 * what the apiserver serves, with upstream apiextensions-apiserver semantics.
 *
 * <p>On a CRD write the apiserver calls {@link io.flotilla.api.crd.CrdDefinitions#applyDefaults},
 * then {@link io.flotilla.api.crd.CrdDefinitions#validate} (names, versions, structural schemas,
 * subresources, printer columns, selectable fields, CEL rules that must compile), and registers
 * {@link io.flotilla.api.crd.CrdDefinitions#resourceTypes}: one ResourceType per served version.
 *
 * <p>On a custom resource write it calls, on the version's {@link
 * io.flotilla.api.crd.CustomResourceBehavior}: {@code prune} (drop unknown fields, report them for
 * fieldValidation), {@code applyDefaults}, then {@code validate} (OpenAPI v3 schema, then
 * x-kubernetes-validations with cel-java unless a type error blocks them).
 *
 * <p>Words: a <em>structural</em> schema gives every node a type and keeps value validations
 * (allOf, anyOf, oneOf, not) free of structure; <em>pruning</em> drops what the schema does not
 * specify; a <em>transition rule</em> reads oldSelf and runs only on updates.
 */
package io.flotilla.api.crd;
