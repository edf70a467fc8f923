package io.flotilla.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {
  private static final Map<String, String> LABELS =
      Map.of("app", "web", "tier", "frontend", "example.com/owner", "team-a", "size", "5");

  static Stream<Arguments> matchingCases() {
    return Stream.of(
        Arguments.of("", true),
        Arguments.of("app=web", true),
        Arguments.of("app==web", true),
        Arguments.of("app=db", false),
        Arguments.of("app!=db", true),
        Arguments.of("app!=web", false),
        Arguments.of("missing!=x", true),
        Arguments.of("app in (web,db)", true),
        Arguments.of("app in (db)", false),
        Arguments.of("app notin (db,cache)", true),
        Arguments.of("missing notin (x)", true),
        Arguments.of("app notin (web)", false),
        Arguments.of("app", true),
        Arguments.of("missing", false),
        Arguments.of("!missing", true),
        Arguments.of("!app", false),
        Arguments.of("app=web,tier=frontend", true),
        Arguments.of("app=web,tier=backend", false),
        Arguments.of(" app = web , tier in ( frontend , x ) ", true),
        Arguments.of("example.com/owner=team-a", true),
        Arguments.of("size>3", true),
        Arguments.of("size<3", false),
        Arguments.of("missing=", false),
        Arguments.of("app,!missing,tier notin (backend)", true));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("matchingCases")
  void matchesLabelsAsUpstreamDoes(String selector, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
  }

  static Stream<Arguments> invalidCases() {
    return Stream.of(
        Arguments.of("app=web=db", "unable to parse"),
        Arguments.of("app in web", "'(' to open the value set"),
        Arguments.of("app in (web", "',' or ')'"),
        Arguments.of("app in ()", "values set can't be empty"),
        Arguments.of("app foo (x)", "found 'foo'"),
        Arguments.of("=web", "a label key"),
        Arguments.of("-bad=x", "invalid label key \"-bad\""),
        Arguments.of("app=-bad", "invalid label value: \"-bad\""),
        Arguments.of("Example.COM/x=y", "prefix part"),
        Arguments.of("app=web,", "a label key"),
        Arguments.of("size>abc", "must be an integer"),
        Arguments.of("!app=web", "',' or end of selector"),
        Arguments.of("a".repeat(64) + "=x", "at most 63 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void rejectsMalformedSelectorsNamingTheProblem(String selector, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(SelectorException.class)
        .hasMessageContaining(message);
  }

  @Test
  void printsInCanonicalSortedForm() {
    assertThat(LabelSelector.parse("tier in (b,a),app=web,!gone").toString())
        .isEqualTo("app=web,!gone,tier in (a,b)");
  }

  @Test
  void buildsFromMatchLabelsAndMatchExpressions() throws Exception {
    var json =
        new ObjectMapper()
            .readTree(
                "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
                    + "{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"frontend\"]},"
                    + "{\"key\":\"gone\",\"operator\":\"DoesNotExist\"}]}");
    LabelSelector s = LabelSelector.fromJson(json);
    assertThat(s.matches(LABELS)).isTrue();
    assertThat(s.matches(Map.of("app", "web"))).isFalse();
    assertThat(s.toString()).isEqualTo("app=web,!gone,tier in (frontend)");
  }

  @Test
  void rejectsUnknownOperatorInJson() throws Exception {
    var json =
        new ObjectMapper()
            .readTree("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Near\"}]}");
    assertThatThrownBy(() -> LabelSelector.fromJson(json)).hasMessageContaining("\"Near\"");
  }

  @Test
  void nullJsonSelectsNothingAndEmptyJsonSelectsEverything() throws Exception {
    assertThat(LabelSelector.fromJson(null).matches(LABELS)).isFalse();
    assertThat(LabelSelector.fromJson(new ObjectMapper().readTree("{}")).matches(Map.of()))
        .isTrue();
  }
}
