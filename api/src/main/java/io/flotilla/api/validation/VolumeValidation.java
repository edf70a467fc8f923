package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a pod spec's volumes: unique DNS-label names, exactly one source each. */
final class VolumeValidation {
  private VolumeValidation() {}

  /** Returns the names of the volumes, for volume mounts to refer to. */
  static Set<String> validate(List<ObjectNode> volumes, String specPath, Errors errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      ObjectNode v = volumes.get(i);
      String vp = specPath + ".volumes[" + i + "]";
      String name = Json.textOr(v, "name");
      if (name.isEmpty()) {
        errs.required(vp + ".name");
      } else {
        errs.invalidEach(vp + ".name", name, Names.dns1123Label(name));
        if (!names.add(name)) {
          errs.duplicate(vp + ".name", name);
        }
      }
      List<String> sources = new ArrayList<>();
      v.fieldNames()
          .forEachRemaining(
              f -> {
                if (!f.equals("name") && !v.get(f).isNull()) {
                  sources.add(f);
                }
              });
      if (sources.isEmpty()) {
        errs.required(vp, "must specify a volume type");
      } else if (sources.size() > 1) {
        errs.forbidden(vp + "." + sources.get(1), "may not specify more than 1 volume type");
      }
      source(v, vp, errs);
    }
    return names;
  }

  private static void source(ObjectNode v, String vp, Errors errs) {
    ObjectNode configMap = Json.object(v, "configMap");
    if (configMap != null && Json.textOr(configMap, "name").isEmpty()) {
      errs.required(vp + ".configMap.name");
    }
    ObjectNode secret = Json.object(v, "secret");
    if (secret != null && Json.textOr(secret, "secretName").isEmpty()) {
      errs.required(vp + ".secret.secretName");
    }
    for (String s : List.of("configMap", "secret", "downwardAPI", "projected")) {
      Long mode = Json.integer(Json.object(v, s), "defaultMode");
      if (mode != null && (mode < 0 || mode > 0777)) {
        errs.invalid(
            vp + "." + s + ".defaultMode",
            mode,
            "must be a number between 0 and 0777 (octal), both inclusive");
      }
    }
    ObjectNode hostPath = Json.object(v, "hostPath");
    if (hostPath != null && Json.textOr(hostPath, "path").isEmpty()) {
      errs.required(vp + ".hostPath.path");
    }
    ObjectNode pvc = Json.object(v, "persistentVolumeClaim");
    if (pvc != null && Json.textOr(pvc, "claimName").isEmpty()) {
      errs.required(vp + ".persistentVolumeClaim.claimName");
    }
    ObjectNode emptyDir = Json.object(v, "emptyDir");
    if (emptyDir != null && emptyDir.has("sizeLimit")) {
      try {
        if (Quantity.fromJson(emptyDir.get("sizeLimit")).signum() < 0) {
          errs.invalid(
              vp + ".emptyDir.sizeLimit", emptyDir.get("sizeLimit"), ResourceLists.NEGATIVE);
        }
      } catch (IllegalArgumentException e) {
        errs.invalid(vp + ".emptyDir.sizeLimit", emptyDir.get("sizeLimit"), e.getMessage());
      }
    }
  }
}
