/**
 * Kubernetes' protobuf wire format ({@code application/vnd.kubernetes.protobuf}) for request
 * bodies.
 *
 * <p>Flow: {@link io.flotilla.api.protobuf.ProtobufBodies#decode} checks the magic, parses the
 * {@code runtime.Unknown} envelope, looks the (apiVersion, kind) up in {@code ProtobufKinds},
 * parses {@code raw} as a {@code DynamicMessage} of that kind's descriptor (from client-java-proto)
 * and hands it to {@code MessageToJson}. That walk needs three facts protobuf does not carry, all
 * kept in {@code go-json-fields.txt} (generated from the Go types by {@code
 * api/src/build/presence-table.py}, read by {@code GoJsonFields}): which zero values are explicit,
 * which structs are inlined in JSON, and the few fields whose JSON name differs. {@code
 * SpecialTypes} converts the apimachinery types with their own JSON forms (Time, MicroTime,
 * Duration, Quantity, IntOrString, RawExtension, FieldsV1, string lists). {@code JsonToMessage}
 * runs the same rules backwards for {@link io.flotilla.api.protobuf.ProtobufBodies#encode}.
 *
 * <p>To follow a newer Kubernetes: bump client-java-proto, rerun the script against the matching
 * k8s.io/api and apimachinery tags; {@code GoJsonFieldsTest} fails if the two disagree.
 */
package io.flotilla.api.protobuf;
