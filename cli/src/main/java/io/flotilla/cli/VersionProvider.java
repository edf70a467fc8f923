package io.flotilla.cli;

import picocli.CommandLine;

/** Reports the Flotilla version and the Kubernetes API level it serves. */
final class VersionProvider implements CommandLine.IVersionProvider {
  static final String VERSION = "0.1.0";

  @Override
  public String[] getVersion() {
    return new String[] {"flotilla " + VERSION + " (Kubernetes API 1.32)"};
  }
}
