package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks one container of a pod spec: name, image, ports, env, resources, mounts, probes. */
final class ContainerValidation {
  private ContainerValidation() {}

  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> TERMINATION_MESSAGE_POLICIES =
      List.of("FallbackToLogsOnError", "File");
  private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
  private static final List<String> ENV_SOURCES =
      List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef");

  /**
   * @param path the container's path, such as "spec.containers[0]"
   * @param volumes the names of the pod's volumes, which mounts must name
   * @param hostNetwork whether the pod uses the host's network (host ports equal container ports)
   */
  static void validate(
      ObjectNode c, String path, Set<String> volumes, boolean hostNetwork, Errors errs) {
    String image = Json.textOr(c, "image");
    if (image.isEmpty()) {
      errs.required(path + ".image");
    } else if (!image.equals(image.strip())) {
      errs.invalid(path + ".image", image, "must not have leading or trailing whitespace");
    }
    String pull = Json.text(c, "imagePullPolicy");
    if (pull != null && !PULL_POLICIES.contains(pull)) {
      errs.notSupported(path + ".imagePullPolicy", pull, PULL_POLICIES);
    }
    String tmp = Json.text(c, "terminationMessagePolicy");
    if (tmp != null && !TERMINATION_MESSAGE_POLICIES.contains(tmp)) {
      errs.notSupported(path + ".terminationMessagePolicy", tmp, TERMINATION_MESSAGE_POLICIES);
    }
    ports(Json.objects(c, "ports"), path + ".ports", hostNetwork, errs);
    env(Json.objects(c, "env"), path + ".env", errs);
    resources(Json.object(c, "resources"), path + ".resources", errs);
    mounts(Json.objects(c, "volumeMounts"), path + ".volumeMounts", volumes, errs);
    probe(Json.object(c, "livenessProbe"), path + ".livenessProbe", true, errs);
    probe(Json.object(c, "readinessProbe"), path + ".readinessProbe", false, errs);
    probe(Json.object(c, "startupProbe"), path + ".startupProbe", true, errs);
  }

  private static void ports(List<ObjectNode> ports, String path, boolean hostNet, Errors errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode p = ports.get(i);
      String pp = path + "[" + i + "]";
      String name = Json.textOr(p, "name");
      if (!name.isEmpty()) {
        errs.invalidEach(pp + ".name", name, Names.portName(name));
        if (!names.add(name)) {
          errs.duplicate(pp + ".name", name);
        }
      }
      long containerPort = p.path("containerPort").asLong(0);
      if (containerPort == 0) {
        errs.required(pp + ".containerPort");
      } else {
        portNumber(containerPort, pp + ".containerPort", errs);
      }
      long hostPort = p.path("hostPort").asLong(0);
      if (hostPort != 0) {
        portNumber(hostPort, pp + ".hostPort", errs);
        if (hostNet && hostPort != containerPort) {
          errs.invalid(
              pp + ".containerPort",
              containerPort,
              "must match `hostPort` when `hostNetwork` is true");
        }
      }
      protocol(p, pp + ".protocol", errs);
    }
  }

  static void portNumber(long port, String path, Errors errs) {
    if (port < 1 || port > 65535) {
      errs.invalid(path, port, Names.inclusiveRange(1, 65535));
    }
  }

  static void protocol(ObjectNode p, String path, Errors errs) {
    String protocol = Json.textOr(p, "protocol");
    if (protocol.isEmpty()) {
      errs.required(path);
    } else if (!PROTOCOLS.contains(protocol)) {
      errs.notSupported(path, protocol, PROTOCOLS);
    }
  }

  private static void env(List<ObjectNode> env, String path, Errors errs) {
    for (int i = 0; i < env.size(); i++) {
      ObjectNode e = env.get(i);
      String ep = path + "[" + i + "]";
      String name = Json.textOr(e, "name");
      if (name.isEmpty()) {
        errs.required(ep + ".name");
      } else {
        errs.invalidEach(ep + ".name", name, Names.envVarName(name));
      }
      ObjectNode from = Json.object(e, "valueFrom");
      if (from == null) {
        continue;
      }
      long sources = ENV_SOURCES.stream().filter(from::has).count();
      if (!Json.textOr(e, "value").isEmpty()) {
        errs.invalid(ep + ".valueFrom", "", "may not be specified when `value` is not empty");
      } else if (sources == 0) {
        errs.invalid(
            ep + ".valueFrom",
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
      } else if (sources > 1) {
        errs.invalid(ep + ".valueFrom", "", "may not have more than one field specified at a time");
      }
      for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
        ObjectNode r = Json.object(from, ref);
        if (r != null && Json.textOr(r, "key").isEmpty()) {
          errs.required(ep + ".valueFrom." + ref + ".key");
        }
      }
      ObjectNode fieldRef = Json.object(from, "fieldRef");
      if (fieldRef != null && Json.textOr(fieldRef, "fieldPath").isEmpty()) {
        errs.required(ep + ".valueFrom.fieldRef.fieldPath");
      }
    }
  }

  /** Requests and limits parse, are not negative, and no request exceeds its limit. */
  static void resources(ObjectNode resources, String path, Errors errs) {
    Map<String, Quantity> limits =
        ResourceLists.validate(Json.object(resources, "limits"), path + ".limits", errs);
    Map<String, Quantity> requests =
        ResourceLists.validate(Json.object(resources, "requests"), path + ".requests", errs);
    for (Map.Entry<String, Quantity> r : requests.entrySet()) {
      Quantity limit = limits.get(r.getKey());
      if (limit != null && r.getValue().compareTo(limit) > 0) {
        errs.invalid(
            path + ".requests",
            r.getValue().toString(),
            "must be less than or equal to " + r.getKey() + " limit of " + limit);
      }
    }
  }

  private static void mounts(
      List<ObjectNode> mounts, String path, Set<String> volumes, Errors errs) {
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      ObjectNode m = mounts.get(i);
      String mp = path + "[" + i + "]";
      String name = Json.textOr(m, "name");
      if (name.isEmpty()) {
        errs.required(mp + ".name");
      } else if (!volumes.contains(name)) {
        errs.add(
            new io.flotilla.api.FieldError(
                "FieldValueNotFound", mp + ".name", "Not found: \"" + name + "\""));
      }
      String mountPath = Json.textOr(m, "mountPath");
      if (mountPath.isEmpty()) {
        errs.required(mp + ".mountPath");
      } else if (!paths.add(mountPath)) {
        errs.invalid(mp + ".mountPath", mountPath, "must be unique");
      }
    }
  }

  /** A probe has exactly one handler and sane timings; liveness and startup succeed once. */
  static void probe(ObjectNode probe, String path, boolean successOnce, Errors errs) {
    if (probe == null) {
      return;
    }
    List<String> handlers = HANDLERS.stream().filter(h -> !Json.absent(probe, h)).toList();
    if (handlers.isEmpty()) {
      errs.required(path, "must specify a handler type");
    } else if (handlers.size() > 1) {
      errs.forbidden(path + "." + handlers.get(1), "may not specify more than 1 handler type");
    }
    for (String f :
        List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "failureThreshold")) {
      nonNegative(probe, f, path, errs);
    }
    nonNegative(probe, "successThreshold", path, errs);
    Long success = Json.integer(probe, "successThreshold");
    if (successOnce && success != null && success != 1) {
      errs.invalid(path + ".successThreshold", success, "must be 1");
    }
    ObjectNode http = Json.object(probe, "httpGet");
    if (http != null) {
      targetPort(http.get("port"), path + ".httpGet.port", errs);
      String scheme = Json.text(http, "scheme");
      if (scheme != null && !List.of("HTTP", "HTTPS").contains(scheme)) {
        errs.notSupported(path + ".httpGet.scheme", scheme, List.of("HTTP", "HTTPS"));
      }
    }
    ObjectNode tcp = Json.object(probe, "tcpSocket");
    if (tcp != null) {
      targetPort(tcp.get("port"), path + ".tcpSocket.port", errs);
    }
  }

  /** An IntOrString port: a number in 1..65535 or an IANA port name. */
  static void targetPort(JsonNode port, String path, Errors errs) {
    if (port == null || port.isNull()) {
      errs.required(path);
    } else if (port.isIntegralNumber()) {
      portNumber(port.longValue(), path, errs);
    } else if (port.isTextual()) {
      errs.invalidEach(path, port.textValue(), Names.portName(port.textValue()));
    } else {
      errs.invalid(path, port, "must be an integer or a string");
    }
  }

  static void nonNegative(ObjectNode o, String field, String path, Errors errs) {
    Long v = Json.integer(o, field);
    if (v != null && v < 0) {
      errs.invalid(path + "." + field, v, ResourceLists.NEGATIVE);
    }
  }
}
