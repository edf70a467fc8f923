package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.flotilla.api.GroupVersionKind;
import io.flotilla.api.openapi.ModelClasses;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The patch schema of a fabric8 kubernetes-model class: its fields are the class's Jackson
 * properties, their value types come from the properties' Java types, and their strategies and
 * merge keys from {@link PatchStrategies}. Fields of a class are worked out once, on first use.
 *
 * <p>Thread-safe: the field tables are computed into a concurrent map and never changed.
 */
final class ModelPatchSchema implements PatchSchema {
  private static final String MODEL_BASE = "io.fabric8.kubernetes.api.model.";
  private static final Introspector INTROSPECTOR = new Introspector();

  private final Class<?> type;
  private final String component;

  private ModelPatchSchema(Class<?> type) {
    this.type = type;
    this.component = ModelClasses.componentName(type);
  }

  static Optional<PatchSchema> forKind(GroupVersionKind gvk) {
    return ModelClasses.forKind(gvk).map(ModelPatchSchema::new);
  }

  /** The schema of a model class; visible for tests. */
  static PatchSchema of(Class<?> type) {
    return new ModelPatchSchema(type);
  }

  @Override
  public String name() {
    return component;
  }

  @Override
  public Field field(String name) {
    Field f = INTROSPECTOR.fields(type).get(name);
    return f != null ? f : new Field(PatchMeta.NONE, PatchSchema.opaque());
  }

  /** The schema of a map's values: every key has the same value type and no strategies. */
  private record MapValues(PatchSchema values) implements PatchSchema {
    @Override
    public String name() {
      return "map of " + values.name();
    }

    @Override
    public Field field(String name) {
      return new Field(PatchMeta.NONE, values);
    }
  }

  /** Reads Jackson properties of model classes, caching one field table per class. */
  private static final class Introspector {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Class<?>, Map<String, Field>> cache = new ConcurrentHashMap<>();

    Map<String, Field> fields(Class<?> c) {
      Map<String, Field> known = cache.get(c);
      if (known == null) {
        known = compute(c);
        cache.putIfAbsent(c, known);
      }
      return known;
    }

    private Map<String, Field> compute(Class<?> c) {
      BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(c));
      String component = ModelClasses.componentName(c);
      Map<String, Field> fields = new HashMap<>();
      for (BeanPropertyDefinition p : bean.findProperties()) {
        if (p.getName().equals("additionalProperties") || p.getPrimaryType() == null) {
          continue;
        }
        PatchMeta meta =
            PatchStrategies.find(component, p.getName())
                .map(PatchStrategies.Entry::meta)
                .orElse(PatchMeta.NONE);
        fields.put(p.getName(), new Field(meta, valueSchema(p.getPrimaryType())));
      }
      return Map.copyOf(fields);
    }

    /** The schema of a value of type {@code t}: for collections, of their elements. */
    private PatchSchema valueSchema(JavaType t) {
      if (t.isCollectionLikeType() || t.isArrayType()) {
        return valueSchema(t.getContentType());
      }
      if (t.isMapLikeType()) {
        return new MapValues(valueSchema(t.getContentType()));
      }
      Class<?> raw = t.getRawClass();
      if (raw.getName().startsWith(MODEL_BASE) && !raw.isInterface() && !raw.isEnum()) {
        return new ModelPatchSchema(raw);
      }
      return PatchSchema.opaque();
    }
  }
}
