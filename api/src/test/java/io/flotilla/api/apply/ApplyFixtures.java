package io.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.api.GroupVersionKind;

/** Objects written as YAML for the apply tests. */
final class ApplyFixtures {
  static final ObjectMapper YAML = new YAMLMapper();
  static final ApplySchema DEPLOYMENT =
      ApplySchema.forKind(GroupVersionKind.of("apps/v1", "Deployment"));
  static final ApplySchema CUSTOM =
      ApplySchema.forKind(GroupVersionKind.of("example.com/v1", "Widget"));

  private ApplyFixtures() {}

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static FieldManager deployments() {
    return new FieldManager(DEPLOYMENT, "apps/v1", "", p -> !p.startsWith(FieldPath.of("status")));
  }

  /** A deployment with one container "web" on port 80. */
  static ObjectNode deployment(int replicas, String image) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
          labels: {app: web}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: %s
                ports:
                - containerPort: 80
        """
            .formatted(replicas, image));
  }
}
