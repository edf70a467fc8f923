package io.flotilla.node.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpansionTest {
  private static final Map<String, String> VARS = Map.of("A", "alpha", "B", "beta", "EMPTY", "");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|plain",
        "$(A)|alpha",
        "x-$(A)-$(B)-y|x-alpha-beta-y",
        "$(MISSING)|$(MISSING)",
        "$$(A)|$(A)",
        "$$|$",
        "cost $5|cost $5",
        "$(A|$(A",
        "end$|end$",
        "[$(EMPTY)]|[]",
        "$(A)$(A)|alphaalpha"
      })
  void expandsLikeKubernetes(String in, String out) {
    assertThat(Expansion.expand(in, VARS)).isEqualTo(out);
  }
}
