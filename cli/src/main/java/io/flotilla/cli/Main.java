package io.flotilla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flotilla} command. Each subcommand is one class in this package. */
@Command(
    name = "flotilla",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A container orchestrator that speaks the Kubernetes API.",
    subcommands = {
      UpCommand.class,
      ServerCommand.class,
      AgentCommand.class,
      SchedulerCommand.class,
      ControllersCommand.class,
      BenchCommand.class,
      ImagesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  static CommandLine newCommandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
