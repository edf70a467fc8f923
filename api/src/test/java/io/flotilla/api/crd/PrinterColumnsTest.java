package io.flotilla.api.crd;

import static io.flotilla.api.crd.Fixtures.NOW;
import static io.flotilla.api.crd.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrinterColumnsTest {

  private static final JsonNode OBJECT =
      json(
          "{metadata: {name: 'w', creationTimestamp: '2024-05-01T11:55:00Z', annotations:"
              + " {'example.com/owner': 'ops'}}, spec: {replicas: 3, ratio: 0.5, paused: false,"
              + " tags: ['a', 'b'], selector: {app: 'web'}}, status: {conditions: [{type:"
              + " 'Progressing', status: 'True'}, {type: 'Ready', status: 'False', lastTransitionTime:"
              + " '2024-05-01T09:00:00Z'}]}}");

  static Stream<Arguments> paths() {
    return Stream.of(
        Arguments.of("dotted field", ".spec.replicas", "integer", 3L),
        Arguments.of("braced path", "{.spec.replicas}", "integer", 3L),
        Arguments.of("number", ".spec.ratio", "number", 0.5),
        Arguments.of("integer column truncates a number", ".spec.ratio", "integer", 0L),
        Arguments.of("boolean", ".spec.paused", "boolean", false),
        Arguments.of("index", ".spec.tags[1]", "string", "b"),
        Arguments.of("negative index", ".spec.tags[-1]", "string", "b"),
        Arguments.of("wildcard takes the first", ".spec.tags[*]", "string", "a"),
        Arguments.of(
            "quoted name with dots", ".metadata.annotations['example.com/owner']", "string", "ops"),
        Arguments.of(
            "filter", ".status.conditions[?(@.type==\"Ready\")].status", "string", "False"),
        Arguments.of(
            "filter with single quotes and !=",
            ".status.conditions[?(@.type!='Ready')].status",
            "string",
            "True"),
        Arguments.of(
            "date as an age",
            ".status.conditions[?(@.type=='Ready')].lastTransitionTime",
            "date",
            "3h"),
        Arguments.of(
            "object in a string column as JSON", ".spec.selector", "string", "{\"app\":\"web\"}"),
        Arguments.of("number in a string column", ".spec.replicas", "string", "3"),
        Arguments.of("absent value", ".status.replicas", "integer", null),
        Arguments.of("string in an integer column", ".metadata.name", "integer", null),
        Arguments.of("bad timestamp", ".metadata.name", "date", "<invalid>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void rendersTheFirstSelectedValueByColumnType(
      String name, String path, String type, Object expected) {
    var columns =
        new PrinterColumns(
            json(
                "[{name: 'X', type: '"
                    + type
                    + "', jsonPath: '"
                    + path.replace("'", "\\'")
                    + "'}]"));

    assertThat(columns.cells(OBJECT, NOW)).containsExactly("w", expected);
  }

  @Test
  void showsNameAndAgeWhenNoColumnsAreDeclared() {
    var columns = new PrinterColumns(json("[]"));

    assertThat(columns.columns()).extracting(TableColumn::name).containsExactly("Name", "Age");
    assertThat(columns.columns().get(1).type()).isEqualTo("date");
    assertThat(columns.cells(OBJECT, NOW)).containsExactly("w", "5m");
  }

  @Test
  void keepsDeclaredColumnsInOrderWithTheirAttributes() {
    var columns =
        new PrinterColumns(
            json(
                "[{name: 'Replicas', type: 'integer', format: 'int32', description: 'desired',"
                    + " jsonPath: '.spec.replicas'}, {name: 'Paused', type: 'boolean', priority: 1,"
                    + " jsonPath: '.spec.paused'}]"));

    assertThat(columns.columns())
        .containsExactly(
            PrinterColumns.NAME,
            new TableColumn("Replicas", "integer", "int32", "desired", 0),
            new TableColumn("Paused", "boolean", "", "", 1));
    assertThat(columns.cells(OBJECT, NOW)).isEqualTo(Arrays.asList("w", 3L, false));
  }

  @Test
  void rejectsMalformedPathsNamingThePosition() {
    assertThatThrownBy(() -> JsonPath.parse(".spec.tags[abc]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 11");
    assertThatThrownBy(() -> JsonPath.parse(".status.conditions[?(@.type==)]"))
        .hasMessageContaining("expected a literal");
  }

  @Test
  void evaluatesEveryMatchInDocumentOrder() {
    assertThat(JsonPath.parse(".status.conditions[*].type").evaluate(OBJECT))
        .extracting(JsonNode::asText)
        .isEqualTo(List.of("Progressing", "Ready"));
  }
}
