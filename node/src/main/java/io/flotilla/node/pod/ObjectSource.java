package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where the agent reads the ConfigMaps and Secrets pods refer to: straight from the API server on
 * every sync (kubelet's "Get" change-detection strategy), so updates reach env on the next start
 * and volumes on the next resync.
 *
 * <p>Threading: thread-safe (the fabric8 client is).
 */
public interface ObjectSource {
  /** The ConfigMap, or null when it does not exist. */
  ConfigMap configMap(String namespace, String name);

  /** The Secret, or null when it does not exist. */
  Secret secret(String namespace, String name);

  /** The claim, or null when it does not exist (or this source does not read claims). */
  default PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
    return null;
  }

  /** The volume, or null. */
  default PersistentVolume persistentVolume(String name) {
    return null;
  }

  static ObjectSource of(KubernetesClient client) {
    return new ObjectSource() {
      @Override
      public PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
        return client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
      }

      @Override
      public PersistentVolume persistentVolume(String name) {
        return client.persistentVolumes().withName(name).get();
      }

      @Override
      public ConfigMap configMap(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
      }

      @Override
      public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
      }
    };
  }
}
