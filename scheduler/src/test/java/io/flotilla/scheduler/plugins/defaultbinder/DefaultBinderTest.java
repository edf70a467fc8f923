package io.flotilla.scheduler.plugins.defaultbinder;

import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultBinderTest {
  @Test
  void bindsThroughTheBinder() {
    List<String> bound = new ArrayList<>();
    Status s =
        new DefaultBinder((p, n) -> bound.add(p.getMetadata().getName() + "->" + n))
            .bind(new CycleState(), pod("p").info(), "n1");
    assertThat(s.isSuccess()).isTrue();
    assertThat(bound).containsExactly("p->n1");
  }

  @Test
  void reportsARefusedBindingAsAnError() {
    Status s =
        new DefaultBinder(
                (p, n) -> {
                  throw new IllegalStateException("pods \"p\" is already assigned to node \"n2\"");
                })
            .bind(new CycleState(), pod("p").info(), "n1");
    assertThat(s.code()).isEqualTo(Code.ERROR);
    assertThat(s.message()).contains("already assigned");
  }
}
