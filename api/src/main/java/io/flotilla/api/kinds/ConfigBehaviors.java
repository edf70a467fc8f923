package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ConfigMaps, Secrets, ServiceAccounts and the RBAC bindings that grant them rights. */
public final class ConfigBehaviors {
  private ConfigBehaviors() {}

  public static TableBehavior configMap() {
    return TableBehavior.of(
            List.of(Cells.NAME, column("Data", "Keys in data and binaryData"), Cells.AGE),
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    (long) (o.path("data").size() + o.path("binaryData").size()),
                    Cells.age(o, now)))
        .withoutGeneration();
  }

  public static TableBehavior secret() {
    return TableBehavior.of(
            List.of(
                Cells.NAME,
                column("Type", "The secret's type"),
                column("Data", "Keys in data"),
                Cells.AGE),
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    text(o, "type"),
                    (long) o.path("data").size(),
                    Cells.age(o, now)))
        .withSelectors(Map.of("type", o -> text(o, "type")))
        .withoutGeneration();
  }

  public static TableBehavior serviceAccount() {
    return TableBehavior.of(
            List.of(Cells.NAME, column("Secrets", "Secrets listed on the account"), Cells.AGE),
            (o, now) ->
                Cells.row(Cells.name(o), (long) o.path("secrets").size(), Cells.age(o, now)))
        .withoutGeneration();
  }

  /** RoleBindings and ClusterRoleBindings print alike. */
  public static TableBehavior binding() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Role", "The bound role, as Kind/name"),
            Cells.AGE,
            Cells.wide("Users", "Users bound"),
            Cells.wide("Groups", "Groups bound"),
            Cells.wide("ServiceAccounts", "Service accounts bound, as namespace:name"));
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    text(o, "roleRef.kind") + "/" + text(o, "roleRef.name"),
                    Cells.age(o, now),
                    subjects(o, "User"),
                    subjects(o, "Group"),
                    subjects(o, "ServiceAccount")))
        .withoutGeneration();
  }

  private static String subjects(JsonNode binding, String kind) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      if (kind.equals(s.path("kind").asText())) {
        String name = s.path("name").asText("");
        out.add(kind.equals("ServiceAccount") ? s.path("namespace").asText("") + ":" + name : name);
      }
    }
    return String.join(", ", out);
  }
}
