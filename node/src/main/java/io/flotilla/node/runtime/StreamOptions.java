package io.flotilla.node.runtime;

/**
 * Which standard streams an exec or attach session carries and whether it runs on a terminal (the
 * {@code stdin}, {@code stdout}, {@code stderr} and {@code tty} query parameters of kubelet's
 * {@code /exec} and {@code /attach}). With a terminal stderr is merged into stdout, as upstream.
 */
public record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
  public StreamOptions {
    if (tty) {
      stderr = false;
    }
  }
}
