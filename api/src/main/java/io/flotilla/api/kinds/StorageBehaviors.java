package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** PersistentVolumes, PersistentVolumeClaims and StorageClasses. */
public final class StorageBehaviors {
  private StorageBehaviors() {}

  private static final String BETA_CLASS = "volume.beta.kubernetes.io/storage-class";
  private static final TableColumn VOLUME_MODE = Cells.wide("VolumeMode", "Filesystem or Block");

  public static TableBehavior persistentVolume() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Capacity", "The volume's storage capacity"),
            column("Access Modes", "How the volume may be mounted"),
            column("Reclaim Policy", "What happens to the volume when released"),
            column("Status", "The volume's phase"),
            column("Claim", "The bound claim, as namespace/name"),
            column("StorageClass", "The volume's storage class"),
            column("VolumeAttributesClass", "The volume's attributes class"),
            column("Reason", "Why the volume is in its phase"),
            Cells.AGE,
            VOLUME_MODE);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          JsonNode spec = o.path("spec");
          String claim =
              Cells.exists(spec.path("claimRef"))
                  ? text(spec, "claimRef.namespace") + "/" + text(spec, "claimRef.name")
                  : "";
          return Cells.row(
              Cells.name(o),
              spec.path("capacity").path("storage").asText("0"),
              accessModes(spec.path("accessModes")),
              text(spec, "persistentVolumeReclaimPolicy"),
              Cells.deleting(o) ? "Terminating" : text(o, "status.phase"),
              claim,
              storageClass(o),
              orUnset(o, "spec.volumeAttributesClassName"),
              text(o, "status.reason"),
              Cells.age(o, now),
              orUnset(o, "spec.volumeMode"));
        });
  }

  public static TableBehavior persistentVolumeClaim() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Status", "The claim's phase"),
            column("Volume", "The bound volume"),
            column("Capacity", "The bound volume's capacity"),
            column("Access Modes", "How the bound volume may be mounted"),
            column("StorageClass", "The claim's storage class"),
            column("VolumeAttributesClass", "The claim's attributes class"),
            Cells.AGE,
            VOLUME_MODE);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          String volume = text(o, "spec.volumeName");
          boolean bound = !volume.isEmpty();
          return Cells.row(
              Cells.name(o),
              Cells.deleting(o) ? "Terminating" : text(o, "status.phase"),
              volume,
              bound ? o.path("status").path("capacity").path("storage").asText("0") : "",
              bound ? accessModes(o.path("status").path("accessModes")) : "",
              storageClass(o),
              orUnset(o, "spec.volumeAttributesClassName"),
              Cells.age(o, now),
              orUnset(o, "spec.volumeMode"));
        });
  }

  /** Access modes abbreviated in a fixed order, duplicates dropped: "RWO,ROX". */
  static String accessModes(JsonNode modes) {
    Set<String> given = new TreeSet<>();
    modes.forEach(m -> given.add(m.asText()));
    List<String> out = new ArrayList<>();
    String[][] order = {
      {"ReadWriteOnce", "RWO"},
      {"ReadOnlyMany", "ROX"},
      {"ReadWriteMany", "RWX"},
      {"ReadWriteOncePod", "RWOP"}
    };
    for (String[] mode : order) {
      if (given.contains(mode[0])) {
        out.add(mode[1]);
      }
    }
    return String.join(",", out);
  }

  /** The beta annotation still wins over spec.storageClassName, as upstream reads it. */
  private static String storageClass(JsonNode object) {
    JsonNode beta = object.path("metadata").path("annotations").path(BETA_CLASS);
    return Cells.exists(beta) ? beta.asText() : text(object, "spec.storageClassName");
  }

  private static String orUnset(JsonNode object, String path) {
    return Cells.present(object, path) ? text(object, path) : "<unset>";
  }

  public static TableBehavior storageClass() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Provisioner", "The volume plugin that provisions volumes"),
            column("ReclaimPolicy", "The reclaim policy of provisioned volumes"),
            column("VolumeBindingMode", "When volumes are bound and provisioned"),
            column("AllowVolumeExpansion", "Whether volumes may grow"),
            Cells.AGE);
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(
                    isDefault(o) ? Cells.name(o) + " (default)" : Cells.name(o),
                    text(o, "provisioner"),
                    Cells.present(o, "reclaimPolicy") ? text(o, "reclaimPolicy") : "Delete",
                    Cells.present(o, "volumeBindingMode")
                        ? text(o, "volumeBindingMode")
                        : "Immediate",
                    Cells.bool(o, "allowVolumeExpansion"),
                    Cells.age(o, now)))
        .withoutGeneration();
  }

  private static boolean isDefault(JsonNode storageClass) {
    JsonNode annotations = storageClass.path("metadata").path("annotations");
    return "true".equals(annotations.path("storageclass.kubernetes.io/is-default-class").asText())
        || "true"
            .equals(annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText());
  }
}
