package io.flotilla.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.scheduler.client.SchedulerRunner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla scheduler}: the scheduler alone, as a client of any Kubernetes API server, until
 * SIGTERM or Ctrl-C. Exit codes: 0 when stopped, 1 when the API cannot be reached or listed, 2 for
 * bad options.
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description =
        "Place pending pods on nodes (the kube-scheduler's job) as a client of the API server"
            + " named by a kubeconfig.")
final class SchedulerCommand implements Callable<Integer> {
  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "FILE",
      description = "The kubeconfig of the API server to schedule for (its current context).")
  Path kubeconfig;

  @Option(
      names = "--leader-elect",
      defaultValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Schedule only while holding the Lease kube-system/<--lease-name>, so that several"
              + " schedulers can run and one works (default: ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(
      names = "--lease-name",
      defaultValue = "kube-scheduler",
      description = "Name of the Lease in kube-system (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--scheduler-name",
      defaultValue = "default-scheduler",
      description =
          "Schedule the pods whose spec.schedulerName is this (default: ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(
      names = "--parallelism",
      defaultValue = "0",
      description = "Threads filtering and scoring nodes; 0 means one per core (default).")
  int parallelism;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(kubeconfig)) {
      System.err.println(
          "flotilla scheduler: cannot read --kubeconfig " + kubeconfig + "; give a readable file.");
      return 2;
    }
    if (parallelism < 0) {
      System.err.println("flotilla scheduler: --parallelism must be 0 or more, got " + parallelism);
      return 2;
    }
    SchedulerRunner.Options defaults = SchedulerRunner.Options.defaults(identity());
    SchedulerRunner.Options o =
        new SchedulerRunner.Options(
            schedulerName,
            leaderElect,
            defaults.leaseNamespace(),
            leaseName,
            defaults.identity(),
            parallelism == 0 ? defaults.parallelism() : parallelism,
            defaults.syncTimeout());
    try (KubernetesClient client = client(kubeconfig)) {
      SchedulerRunner runner;
      try {
        runner = SchedulerRunner.start(client, o, Clock.systemUTC());
      } catch (TimeoutException | RuntimeException e) {
        System.err.printf(
            "flotilla scheduler: cannot list nodes and pods from %s: %s%n",
            client.getMasterUrl(), e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    runner.close();
                    stopped.countDown();
                  },
                  "scheduler-shutdown"));
      System.err.printf(
          "flotilla scheduler: scheduling pods of %s for %s%s%n",
          schedulerName,
          client.getMasterUrl(),
          leaderElect ? " while holding the Lease kube-system/" + leaseName : "");
      stopped.await();
    }
    return 0;
  }

  /** A fabric8 client from a kubeconfig file (its current context). */
  static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Upstream's identity: host name, then a UUID so that two on one host differ. */
  static String identity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "_" + UUID.randomUUID();
  }
}
