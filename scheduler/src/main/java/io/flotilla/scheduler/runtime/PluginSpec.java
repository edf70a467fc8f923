package io.flotilla.scheduler.runtime;

import io.flotilla.scheduler.framework.Handle;
import io.flotilla.scheduler.framework.Plugin;
import java.util.function.Function;

/** One entry of a profile: how to build the plugin, and its weight if it scores. */
public record PluginSpec(Function<Handle, Plugin> factory, int scoreWeight) {
  public static PluginSpec of(Function<Handle, Plugin> factory) {
    return new PluginSpec(factory, 1);
  }

  public static PluginSpec scored(Function<Handle, Plugin> factory, int weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("a score weight must be >= 1, got " + weight);
    }
    return new PluginSpec(factory, weight);
  }
}
