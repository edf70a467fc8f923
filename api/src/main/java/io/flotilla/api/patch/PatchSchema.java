package io.flotilla.api.patch;

import io.flotilla.api.GroupVersionKind;
import java.util.Optional;

/**
 * What strategic merge patch needs to know about the type of an object: for each field, its {@link
 * PatchMeta} and the schema of its value (of each element, for a list; of each value, for a map).
 * Built-in kinds have one ({@link #forKind}); custom resources have none, and upstream refuses
 * strategic merge patches for them with 415 Unsupported Media Type.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface PatchSchema {
  /** A field's patch metadata and the schema of its value, elements or map values. */
  record Field(PatchMeta meta, PatchSchema schema) {}

  /** A name for error messages, such as the type's schema component. */
  String name();

  /** The field named {@code name}; fields the schema does not know have no strategies. */
  Field field(String name);

  /** The schema of a built-in kind, or empty for kinds that have none (custom resources). */
  static Optional<PatchSchema> forKind(GroupVersionKind gvk) {
    return ModelPatchSchema.forKind(gvk);
  }

  /** A schema with no strategies anywhere: lists are replaced, maps merged. */
  static PatchSchema opaque() {
    return Opaque.INSTANCE;
  }

  /** The schema of free-form content. */
  final class Opaque implements PatchSchema {
    private static final Opaque INSTANCE = new Opaque();

    private Opaque() {}

    @Override
    public String name() {
      return "free-form object";
    }

    @Override
    public Field field(String name) {
      return new Field(PatchMeta.NONE, this);
    }
  }
}
