package io.flotilla.scheduler.framework;

/**
 * A scheduling plugin. A plugin implements one or more extension-point interfaces; the runtime
 * calls each at its point in the order of the profile.
 */
public interface Plugin {
  /** The plugin's name as it appears in profiles and in Status.plugin(). */
  String name();
}
