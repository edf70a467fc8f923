package io.flotilla.cli;

import io.flotilla.controllers.ControllerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla controllers}: the controllers as a process of their own, against any API. */
@Command(
    name = "controllers",
    mixinStandardHelpOptions = true,
    description =
        "Run the controllers (namespace, serviceaccount, garbage collector, ReplicaSet,"
            + " ReplicationController, Deployment) against the API server a kubeconfig names.")
final class ControllersCommand implements Callable<Integer> {
  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "FILE",
      description = "The cluster to run against.")
  Path kubeconfig;

  @Option(
      names = "--leader-elect",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Run only while holding the kube-system/flotilla-controller-manager Lease (default: ${DEFAULT-VALUE}).")
  boolean leaderElect = true;

  @Option(
      names = "--metrics-bind-address",
      paramLabel = "HOST",
      description = "Where /metrics and /healthz listen (default: ${DEFAULT-VALUE}).")
  String metricsHost = "127.0.0.1";

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Port for /metrics and /healthz; -1 serves none (default: ${DEFAULT-VALUE}).")
  int metricsPort = 10257;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(kubeconfig)) {
      System.err.println(
          "flotilla: cannot read the kubeconfig "
              + kubeconfig
              + "; pass the file `flotilla server` wrote (DIR/admin.kubeconfig).");
      return 1;
    }
    ControllerProcess p =
        ControllerProcess.start(kubeconfig, leaderElect, metricsHost, metricsPort);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  p.close();
                  stopped.countDown();
                },
                "flotilla-controllers-shutdown"));
    System.err.printf(
        "flotilla: controllers running against %s%s%s%n",
        kubeconfig,
        leaderElect ? " (leader election on)" : "",
        p.metricsPort() >= 0
            ? "; metrics at http://" + metricsHost + ":" + p.metricsPort() + "/metrics"
            : "");
    stopped.await();
    return 0;
  }
}
