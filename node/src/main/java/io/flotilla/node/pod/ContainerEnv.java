package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container's environment as kubelet makes it: {@code envFrom} sources in order (keys with their
 * prefix; keys that are not valid variable names skipped; a missing optional source ignored), then
 * {@code env} in order, each value {@code $(VAR)}-expanded against what is defined so far, {@code
 * valueFrom} resolved from ConfigMaps, Secrets, the pod's fields and the container's resources. A
 * missing non-optional ConfigMap, Secret or key is a {@link ConfigError}.
 */
public final class ContainerEnv {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private ContainerEnv() {}

  public static Map<String, String> resolve(
      Pod pod,
      Container c,
      ObjectSource objects,
      FieldPaths.PodAddresses addr,
      Map<String, Quantity> allocatable) {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (c.getEnvFrom() != null) {
      for (EnvFromSource src : c.getEnvFrom()) {
        String prefix = src.getPrefix() == null ? "" : src.getPrefix();
        Map<String, String> data;
        if (src.getConfigMapRef() != null) {
          var ref = src.getConfigMapRef();
          ConfigMap cm = objects.configMap(ns, ref.getName());
          if (cm == null) {
            if (Boolean.TRUE.equals(ref.getOptional())) {
              continue;
            }
            throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
          }
          data = configMapData(cm);
        } else if (src.getSecretRef() != null) {
          var ref = src.getSecretRef();
          Secret s = objects.secret(ns, ref.getName());
          if (s == null) {
            if (Boolean.TRUE.equals(ref.getOptional())) {
              continue;
            }
            throw new ConfigError("secret \"" + ref.getName() + "\" not found");
          }
          data = secretData(s);
        } else {
          continue;
        }
        for (var e : data.entrySet()) {
          String k = prefix + e.getKey();
          if (ENV_NAME.matcher(k).matches()) {
            env.put(k, e.getValue());
          }
        }
      }
    }
    if (c.getEnv() != null) {
      for (EnvVar v : c.getEnv()) {
        String value;
        if (v.getValueFrom() != null) {
          value = valueFrom(pod, c, v, objects, addr, allocatable);
          if (value == null) {
            continue;
          }
        } else {
          value = Expansion.expand(v.getValue() == null ? "" : v.getValue(), env);
        }
        env.put(v.getName(), value);
      }
    }
    return env;
  }

  private static String valueFrom(
      Pod pod,
      Container c,
      EnvVar v,
      ObjectSource objects,
      FieldPaths.PodAddresses addr,
      Map<String, Quantity> allocatable) {
    EnvVarSource src = v.getValueFrom();
    String ns = pod.getMetadata().getNamespace();
    if (src.getFieldRef() != null) {
      return FieldPaths.field(pod, src.getFieldRef().getFieldPath(), addr);
    }
    if (src.getResourceFieldRef() != null) {
      return FieldPaths.resource(pod, c, src.getResourceFieldRef(), allocatable);
    }
    if (src.getConfigMapKeyRef() != null) {
      var ref = src.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      ConfigMap cm = objects.configMap(ns, ref.getName());
      if (cm == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
      }
      String val = configMapData(cm).get(ref.getKey());
      if (val == null && !optional) {
        throw new ConfigError(
            "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return val;
    }
    if (src.getSecretKeyRef() != null) {
      var ref = src.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Secret s = objects.secret(ns, ref.getName());
      if (s == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("secret \"" + ref.getName() + "\" not found");
      }
      String val = secretData(s).get(ref.getKey());
      if (val == null && !optional) {
        throw new ConfigError(
            "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return val;
    }
    return "";
  }

  /** A ConfigMap's data and binaryData (decoded as UTF-8). */
  static Map<String, String> configMapData(ConfigMap cm) {
    Map<String, String> out = new LinkedHashMap<>();
    if (cm.getData() != null) {
      out.putAll(cm.getData());
    }
    if (cm.getBinaryData() != null) {
      cm.getBinaryData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** A Secret's data, decoded, plus stringData if a client left it there. */
  static Map<String, String> secretData(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }
}
