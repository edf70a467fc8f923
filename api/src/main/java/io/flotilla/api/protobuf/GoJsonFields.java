package io.flotilla.api.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What Go's JSON encoder does with Kubernetes fields that protobuf does not tell us, from a table
 * generated out of the Go types by {@code api/src/build/presence-table.py}.
 *
 * <p>Zero values: the Go marshallers write every non-pointer scalar, set or not, so a zero on the
 * wire is ambiguous. For {@code metadata.generation} it means "unset" and kubectl's JSON leaves it
 * out; for {@code spec.replicas} (a pointer) it is an explicit 0 that must survive. Pointer fields
 * and fields without {@code omitempty} are listed as "keep-zero"; every other zero is dropped,
 * exactly as Go's encoder does.
 *
 * <p>Inline fields: embedded structs tagged {@code json:",inline"} (a Volume's VolumeSource, an
 * IngressRule's IngressRuleValue) are nested messages in protobuf but flat in JSON.
 *
 * <p>JSON names: go-to-protobuf names a field after its JSON tag, except for a handful ({@code
 * BoundObjectReference.uID} is {@code uid} in JSON).
 */
final class GoJsonFields {
  private GoJsonFields() {}

  static final String RESOURCE = "go-json-fields.txt";

  /** The parsed table; immutable once loaded. */
  private record Table(Set<String> keepZero, Set<String> inline, Map<String, String> jsonNames) {}

  private static final Table TABLE = load();
  private static final Set<String> KEEP_ZERO = TABLE.keepZero();
  private static final Set<String> INLINE = TABLE.inline();
  private static final Map<String, String> JSON_NAMES = TABLE.jsonNames();

  /** Whether a zero value in this scalar field belongs in the JSON form. */
  static boolean keepsZero(FieldDescriptor field) {
    return KEEP_ZERO.contains(field.getFullName());
  }

  /** Whether this message field's fields belong in the parent's JSON object. */
  static boolean isInline(FieldDescriptor field) {
    return INLINE.contains(field.getFullName());
  }

  /** The field's name in JSON; go-to-protobuf names a few fields differently ("uID"). */
  static String jsonName(FieldDescriptor field) {
    return JSON_NAMES.getOrDefault(field.getFullName(), field.getName());
  }

  /** The field of {@code type} with this JSON name, or null. */
  static FieldDescriptor byJsonName(Descriptor type, String name) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field != null && jsonName(field).equals(name)) {
      return field;
    }
    for (FieldDescriptor candidate : type.getFields()) {
      if (jsonName(candidate).equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  /** Every field the table names, for checking it against the descriptors. */
  static Set<String> all() {
    Set<String> all = new HashSet<>(KEEP_ZERO);
    all.addAll(INLINE);
    all.addAll(JSON_NAMES.keySet());
    return all;
  }

  private static Table load() {
    Set<String> keepZero = new HashSet<>();
    Set<String> inline = new HashSet<>();
    Map<String, String> jsonNames = new HashMap<>();
    try (InputStream in = GoJsonFields.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("keep-zero ")) {
          keepZero.add(line.substring("keep-zero ".length()).strip());
        } else if (line.startsWith("inline ")) {
          inline.add(line.substring("inline ".length()).strip());
        } else if (line.startsWith("json-name ")) {
          String[] words = line.strip().split(" ");
          jsonNames.put(words[1], words[2]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new Table(Set.copyOf(keepZero), Set.copyOf(inline), Map.copyOf(jsonNames));
  }
}
