package io.flotilla.api.crd;

import java.util.Optional;

/**
 * The scale subresource of a custom resource version: where its replica counts and label selector
 * live, as simple JSON paths (".spec.replicas").
 *
 * @param specReplicasPath the desired replicas, under .spec
 * @param statusReplicasPath the observed replicas, under .status
 * @param labelSelectorPath the serialized label selector, under .status or .spec; empty if none
 */
public record ScaleSubresource(
    String specReplicasPath, String statusReplicasPath, Optional<String> labelSelectorPath) {}
