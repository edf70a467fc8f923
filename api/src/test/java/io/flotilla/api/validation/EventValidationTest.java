package io.flotilla.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.GroupVersionKind;
import org.junit.jupiter.api.Test;

class EventValidationTest {
  private static final GroupVersionKind CORE = new GroupVersionKind("", "v1", "Event");
  private static final GroupVersionKind EVENTS =
      new GroupVersionKind("events.k8s.io", "v1", "Event");
  private final ObjectMapper json = new ObjectMapper();

  private ObjectNode parse(String s) throws Exception {
    return (ObjectNode) json.readTree(s);
  }

  @Test
  void aNewStyleEventNamesItsObjectInRegardingAndNeedsNoInvolvedObject() throws Exception {
    ObjectNode e =
        parse(
            """
            {"metadata":{"name":"e.1","namespace":"default"},"eventTime":"2026-11-23T10:00:00.000000Z",
             "reportingController":"x/y","reportingInstance":"i","action":"A","reason":"R",
             "regarding":{"kind":"Pod","name":"p"},"type":"Normal"}
            """);
    assertThat(Validation.validate(EVENTS, e, null)).isEmpty();
    assertThat(Validation.validate(CORE, e, null))
        .extracting(FieldError::field)
        .contains("involvedObject");
  }

  @Test
  void aNewStyleEventWithoutItsReportingFieldsIsInvalid() throws Exception {
    ObjectNode e = parse("{\"metadata\":{\"name\":\"e.2\"},\"type\":\"Loud\"}");
    assertThat(Validation.validate(EVENTS, e, null))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "eventTime", "reportingController", "reportingInstance", "action", "reason", "type");
  }
}
