package io.flotilla.cli;

import io.flotilla.apiserver.services.PortRange;
import io.flotilla.apiserver.services.ServiceCidr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla server}: the Kubernetes API over HTTPS, state in the data directory or etcd. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Serve the Kubernetes API over HTTPS; writes DIR/admin.kubeconfig for kubectl.")
final class ServerCommand implements Callable<Integer> {

  /** Where the state lives. */
  enum StoreKind {
    embedded,
    etcd
  }

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Certificates, kubeconfig and (embedded store) data. Default: ~/.flotilla")
  Path dataDir = ServerOptions.defaultDataDir();

  @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind = "127.0.0.1";

  @Option(names = "--port", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  int port = 6443;

  @Option(
      names = "--store",
      description = "embedded (RocksDB in the data directory, the default) or etcd.")
  StoreKind store = StoreKind.embedded;

  @Option(
      names = "--etcd-endpoints",
      split = ",",
      paramLabel = "URL",
      description = "etcd client URLs, with --store etcd (e.g. http://127.0.0.1:2379).")
  List<String> etcdEndpoints = new ArrayList<>();

  @Option(
      names = "--tls-san",
      split = ",",
      paramLabel = "NAME",
      description = "Extra DNS names or IPs the serving certificate covers.")
  List<String> tlsSans = new ArrayList<>();

  @Option(
      names = "--compaction-interval",
      paramLabel = "DURATION",
      description =
          "How often history older than one interval is compacted: 30s, 5m, 1h or ISO-8601"
              + " (default: ${DEFAULT-VALUE}; 0 never compacts).")
  String compactionInterval = "5m";

  @Option(
      names = "--service-cidr",
      paramLabel = "CIDR",
      description = "IPv4 range Service cluster IPs come from (default: ${DEFAULT-VALUE}).")
  String serviceCidr = ServiceCidr.DEFAULT;

  @Option(
      names = "--service-node-port-range",
      paramLabel = "FIRST-LAST",
      description = "Ports NodePort and LoadBalancer Services may use (default: ${DEFAULT-VALUE}).")
  String nodePortRange = PortRange.DEFAULT;

  @Option(
      names = "--disable",
      split = ",",
      paramLabel = "COMPONENT",
      description =
          "Components not to run in this process: scheduler, controllers (run them apart with"
              + " `flotilla scheduler` / `flotilla controllers`).")
  List<String> disable = new java.util.ArrayList<>();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    java.time.Duration compaction;
    try {
      compaction = ServerOptions.parseDuration("--compaction-interval", compactionInterval);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    for (String d : disable) {
      if (!ServerOptions.COMPONENTS.contains(d)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--disable: unknown component \""
                + d
                + "\"; choose from "
                + String.join(", ", ServerOptions.COMPONENTS));
      }
    }
    ServerOptions options =
        new ServerOptions(
            dataDir,
            bind,
            port,
            store,
            etcdEndpoints,
            tlsSans,
            compaction,
            serviceCidr,
            nodePortRange,
            java.util.Set.copyOf(disable),
            false);
    return ControlPlane.runUntilStopped(options);
  }
}
