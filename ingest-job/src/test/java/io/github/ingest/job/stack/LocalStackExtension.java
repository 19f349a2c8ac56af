package io.github.ingest.job.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link LocalStack}: started once per test JVM, stopped and deleted when the JVM's
 * tests are done, whether they passed or not.
 */
public final class LocalStackExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(LocalStackExtension.class))
        .getOrComputeIfAbsent(Resource.class, key -> new Resource(), Resource.class)
        .stack;
  }

  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    private final LocalStack stack;

    Resource() {
      try {
        this.stack = LocalStack.start();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      stack.close();
    }
  }
}
