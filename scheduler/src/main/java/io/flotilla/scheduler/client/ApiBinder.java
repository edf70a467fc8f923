package io.flotilla.scheduler.client;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.flotilla.scheduler.plugins.defaultbinder.Binder;
import java.util.concurrent.ExecutionException;

/**
 * Binds as upstream's DefaultBinder does: POST of a v1 Binding to {@code pods/{name}/binding},
 * carrying the pod's UID so that a pod deleted and re-created under the same name is not bound by
 * mistake. The API server sets spec.nodeName and the PodScheduled=True condition.
 *
 * <p>Threading: thread-safe; each call blocks for one round trip (the scheduler calls it on its
 * binding executor).
 */
public final class ApiBinder implements Binder {
  private final KubernetesClient client;
  private final String base;

  public ApiBinder(KubernetesClient client) {
    this.client = client;
    String url = client.getMasterUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void bind(Pod pod, String nodeName) throws Exception {
    var meta = pod.getMetadata();
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .endMetadata()
            .withNewTarget()
            .withKind("Node")
            .withApiVersion("v1")
            .withName(nodeName)
            .endTarget()
            .build();
    String body = client.getKubernetesSerialization().asJson(binding);
    HttpRequest request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(
                base
                    + "/api/v1/namespaces/"
                    + meta.getNamespace()
                    + "/pods/"
                    + meta.getName()
                    + "/binding")
            .post("application/json", body)
            .build();
    HttpResponse<String> response;
    try {
      response = client.getHttpClient().sendAsync(request, String.class).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "binding " + meta.getNamespace() + "/" + meta.getName() + ": " + e.getCause(),
          e.getCause());
    }
    if (response.code() / 100 != 2) {
      throw new IllegalStateException(
          "binding %s/%s to %s answered %d: %s"
              .formatted(
                  meta.getNamespace(), meta.getName(), nodeName, response.code(), response.body()));
    }
  }
}
