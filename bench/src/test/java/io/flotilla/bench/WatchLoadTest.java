package io.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class WatchLoadTest {

  @Test
  void eventHeadReadsTheTypeAndTheObjectsNameWhateverComesAroundThem() throws IOException {
    String line =
        "{\"object\":{\"kind\":\"ConfigMap\",\"data\":{\"name\":\"not-this\"},"
            + "\"metadata\":{\"annotations\":{\"name\":\"nor-this\"},\"name\":\"e-7\"}},"
            + "\"type\":\"ADDED\"}";

    WatchLoad.EventHead head = WatchLoad.EventHead.of(line);

    assertThat(head).isEqualTo(new WatchLoad.EventHead("ADDED", "e-7"));
  }

  @Test
  void eventHeadOfAnErrorEventHasItsTypeAndNoName() throws IOException {
    WatchLoad.EventHead head =
        WatchLoad.EventHead.of(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"reason\":\"Expired\"}}");

    assertThat(head).isEqualTo(new WatchLoad.EventHead("ERROR", ""));
  }

  @Test
  void eventHeadRejectsALineThatIsNotAnObject() {
    assertThatThrownBy(() -> WatchLoad.EventHead.of("[1]")).isInstanceOf(IOException.class);
  }
}
