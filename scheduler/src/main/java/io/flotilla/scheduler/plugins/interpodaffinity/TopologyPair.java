package io.flotilla.scheduler.plugins.interpodaffinity;

/** A topology domain: a node label key and one of its values. */
record TopologyPair(String key, String value) {}
