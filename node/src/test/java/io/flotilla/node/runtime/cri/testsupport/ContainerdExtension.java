package io.flotilla.node.runtime.cri.testsupport;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link TestContainerd} parameter: one containerd per test JVM, started on first use
 * and stopped when the JVM's tests are done (the root store closes it). Images and containerd live
 * under the build directory (surefire's {@code java.io.tmpdir}, which is {@code target}).
 */
public final class ContainerdExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ContainerdExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestContainerd.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            TestContainerd.class,
            key -> TestContainerd.start(Path.of(System.getProperty("java.io.tmpdir"))),
            TestContainerd.class);
  }
}
