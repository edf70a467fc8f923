package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.KindBehavior;
import java.util.List;

/**
 * The CustomResourceDefinition kind itself: upstream's defaulting (names.singular, names.listKind,
 * conversion.strategy) and validation ({@link CrdDefinitions#validate} on create, {@link
 * CrdDefinitions#validateUpdate} on updates). Printed with the default columns. Stateless.
 */
public final class CrdBehavior implements KindBehavior {

  @Override
  public void applyDefaults(ObjectNode object) {
    CrdDefinitions.applyDefaults(object);
  }

  @Override
  public List<FieldError> validate(ObjectNode object, ObjectNode old) {
    return old == null
        ? CrdDefinitions.validate(object)
        : CrdDefinitions.validateUpdate(object, old);
  }
}
