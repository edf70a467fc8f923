package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class ApiServerLifecycleTest {
  @Test
  void closingTwiceIsHarmlessAndTheServerStopsAnswering() throws Exception {
    try (TestCluster c = new TestCluster()) {
      assertThat(c.send("GET", "/version", null).statusCode()).isEqualTo(200);
      c.server.close();
      assertThatCode(c.server::close).doesNotThrowAnyException();
      assertThatCode(() -> c.send("GET", "/version", null)).isInstanceOf(java.io.IOException.class);
    }
  }
}
