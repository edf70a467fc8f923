package io.flotilla.controllers.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Pods;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Stands in for node agents in controller tests: marks every new, undeleted pod Running and Ready
 * through the status subresource. Writes happen on one executor thread, off the informer thread.
 */
public final class PodReadier implements AutoCloseable {
  private final SharedIndexInformer<Pod> informer;
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  public PodReadier(KubernetesClient k, Supplier<Instant> now) {
    informer =
        k.pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod p) {
                    ready(p);
                  }

                  @Override
                  public void onUpdate(Pod o, Pod p) {
                    ready(p);
                  }

                  @Override
                  public void onDelete(Pod p, boolean unknown) {}

                  private void ready(Pod p) {
                    if (Pods.isReady(p) || p.getMetadata().getDeletionTimestamp() != null) {
                      return;
                    }
                    writer.execute(
                        () -> {
                          try {
                            TestPods.markReady(k, p, now.get());
                          } catch (KubernetesClientException e) {
                            // gone or changed meanwhile: the update event brings it back if it
                            // still needs it
                          }
                        });
                  }
                });
  }

  @Override
  public void close() {
    informer.close();
    writer.shutdownNow();
  }
}
