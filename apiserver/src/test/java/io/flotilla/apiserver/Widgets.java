package io.flotilla.apiserver;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** The test CRD (widgets.stable.example.com) and its typed fabric8 classes. */
final class Widgets {
  private Widgets() {}

  static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.stable.example.com
      spec:
        group: stable.example.com
        scope: Namespaced
        names:
          plural: widgets
          kind: Widget
          shortNames: [wd]
          categories: [all]
        versions:
        - name: v1
          served: true
          storage: true
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.selector
          additionalPrinterColumns:
          - name: Size
            type: integer
            jsonPath: .spec.size
          - name: Color
            type: string
            jsonPath: .spec.color
          - name: Age
            type: date
            jsonPath: .metadata.creationTimestamp
          schema:
            openAPIV3Schema:
              type: object
              description: A widget for tests.
              properties:
                spec:
                  type: object
                  description: What the widget should be.
                  properties:
                    size:
                      type: integer
                      minimum: 1
                      description: How big the widget is.
                    color:
                      type: string
                      default: blue
                      description: The widget's color.
                    replicas:
                      type: integer
                      minimum: 0
                status:
                  type: object
                  properties:
                    phase:
                      type: string
                    replicas:
                      type: integer
                    selector:
                      type: string
      """;

  /** A widget manifest as JSON. */
  static String widget(String name, int size) {
    return """
        {"apiVersion":"stable.example.com/v1","kind":"Widget","metadata":{"name":"%s"},\
        "spec":{"size":%d}}"""
        .formatted(name, size);
  }

  public static final class WidgetSpec {
    public Integer size;
    public String color;
    public Integer replicas;
  }

  public static final class WidgetStatus {
    public String phase;
    public Integer replicas;
    public String selector;
  }

  @Group("stable.example.com")
  @Version("v1")
  public static final class Widget extends CustomResource<WidgetSpec, WidgetStatus>
      implements Namespaced {}
}
