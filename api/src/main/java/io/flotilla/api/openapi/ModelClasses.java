package io.flotilla.api.openapi;

import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.flotilla.api.GroupVersionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the fabric8 kubernetes-model class of a built-in kind, whose Jackson properties are the
 * kind's wire fields. fabric8 places kinds in packages named after the group's first segment and,
 * for groups with several versions, the version; the class's {@link Group} and {@link Version}
 * annotations confirm the match.
 */
public final class ModelClasses {
  private static final String BASE = "io.fabric8.kubernetes.api.model";

  private ModelClasses() {}

  /**
   * The schema component name of a model class: "io.flotilla.model.", fabric8's package below its
   * model base ("core" for the base itself), then the class name.
   */
  public static String componentName(Class<?> c) {
    String pkg = c.getPackageName();
    String tail = pkg.equals(BASE) ? "core" : pkg.substring(BASE.length() + 1);
    return "io.flotilla.model." + tail + "." + c.getSimpleName();
  }

  public static Optional<Class<?>> forKind(GroupVersionKind gvk) {
    for (String pkg : candidatePackages(gvk)) {
      try {
        Class<?> c =
            Class.forName(pkg + "." + gvk.kind(), false, ModelClasses.class.getClassLoader());
        if (matches(c, gvk)) {
          return Optional.of(c);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // Not in this package: try the next candidate.
      }
    }
    return Optional.empty();
  }

  private static List<String> candidatePackages(GroupVersionKind gvk) {
    List<String> pkgs = new ArrayList<>();
    if (gvk.group().isEmpty()) {
      pkgs.add(BASE);
      return pkgs;
    }
    String first = gvk.group().split("\\.")[0];
    pkgs.add(BASE + "." + first + "." + gvk.version());
    pkgs.add(BASE + "." + first);
    if (first.equals("storage")) {
      pkgs.add(BASE + ".storage");
    }
    return pkgs;
  }

  private static boolean matches(Class<?> c, GroupVersionKind gvk) {
    Group g = c.getAnnotation(Group.class);
    Version v = c.getAnnotation(Version.class);
    String group = g == null ? "" : g.value();
    return v != null && v.value().equals(gvk.version()) && group.equals(gvk.group());
  }
}
