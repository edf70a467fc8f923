package io.flotilla.node.runtime;

/**
 * What {@link Runtime#execSync} returns (CRI ExecSyncResponse): the exit code and output of a
 * command run in a container. {@code timedOut} is true when the command was killed at its deadline
 * (then the exit code means nothing).
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {}
