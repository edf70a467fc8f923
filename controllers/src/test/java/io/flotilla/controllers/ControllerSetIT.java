package io.flotilla.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.SystemClock;
import io.flotilla.testing.InProcessCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControllerSetIT {
  @Test
  void everyControllerOfTheSetBuildsAndStartsTogether() {
    try (InProcessCluster c = InProcessCluster.start();
        SystemClock clock = new SystemClock();
        ControllerManager m =
            ControllerSet.addTo(
                    ControllerManager.builder(c.client()).clock(clock).leaderElection(false))
                .build()) {
      m.start();
      for (String name : ControllerSet.all().keySet()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> m.controller(name).isPresent());
      }
      assertThat(ControllerSet.all())
          .hasSize(13)
          .containsKeys(
              "job", "cronjob", "disruption", "persistentvolume-binder", "local-path-provisioner");
    }
  }
}
