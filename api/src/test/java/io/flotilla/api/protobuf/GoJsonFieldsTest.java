package io.flotilla.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GoJsonFieldsTest {
  @Test
  void namesOnlyFieldsThatExistInTheLoadedSchemas() {
    Map<String, FieldDescriptor> fields = fieldsOfLoadedSchemas();
    Set<String> packages =
        Set.copyOf(fields.values().stream().map(f -> f.getFile().getPackage()).toList());

    List<String> dangling =
        GoJsonFields.all().stream()
            .filter(name -> packages.stream().anyMatch(p -> name.startsWith(p + ".")))
            .filter(name -> !fields.containsKey(name))
            .sorted()
            .toList();

    assertThat(GoJsonFields.all()).hasSizeGreaterThan(1000);
    assertThat(dangling).isEmpty();
  }

  @Test
  void knowsPointerFieldsFromOmitemptyValueFields() {
    Descriptor deploymentSpec = V1Apps.DeploymentSpec.getDescriptor();

    assertThat(GoJsonFields.keepsZero(deploymentSpec.findFieldByName("replicas"))).isTrue();
    assertThat(GoJsonFields.keepsZero(deploymentSpec.findFieldByName("minReadySeconds"))).isFalse();
    assertThat(GoJsonFields.isInline(V1.Volume.getDescriptor().findFieldByName("volumeSource")))
        .isTrue();
    assertThat(
            GoJsonFields.jsonName(
                V1Authentication.BoundObjectReference.getDescriptor().findFieldByNumber(4)))
        .isEqualTo("uid");
  }

  private static Map<String, FieldDescriptor> fieldsOfLoadedSchemas() {
    Map<String, FieldDescriptor> fields = new HashMap<>();
    Deque<Descriptor> pending = new ArrayDeque<>();
    for (String kind : ProtobufKinds.all()) {
      int slash = kind.lastIndexOf('/');
      pending.add(
          ProtobufKinds.find(kind.substring(0, slash), kind.substring(slash + 1)).orElseThrow());
    }
    for (FileDescriptor file : pending.stream().map(Descriptor::getFile).distinct().toList()) {
      pending.addAll(file.getMessageTypes());
      file.getDependencies().forEach(dependency -> pending.addAll(dependency.getMessageTypes()));
    }
    while (!pending.isEmpty()) {
      for (FieldDescriptor field : pending.pop().getFields()) {
        fields.put(field.getFullName(), field);
      }
    }
    return fields;
  }
}
