package io.quantsinfra.lake.testkit;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts one {@link S3TestServer} before the first test of a class and
 * stops it, deleting its buckets, after the last.
 *
 * <p>Starting S3Proxy takes about a second, so the tests of a class share the server and its
 * bucket {@link S3TestServer#BUCKET}: give each test its own key prefix, or its own bucket with
 * {@link S3TestServer#createBucket}. Declare a parameter of type {@code S3TestServer} on a test,
 * lifecycle method or constructor to get the server.
 */
public final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(S3ServerExtension.class);

    /** Creates the extension; JUnit calls this for {@code @ExtendWith(S3ServerExtension.class)}. */
    public S3ServerExtension() {
    }

    /**
     * Starts the server of the test class.
     *
     * @param context the context of the test class
     * @throws IOException if the server cannot start
     */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        context.getStore(NAMESPACE).put(S3TestServer.class, S3TestServer.start());
    }

    /**
     * Stops the server of the test class and deletes its buckets.
     *
     * @param context the context of the test class
     * @throws IOException if the server's directory cannot be deleted
     */
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        S3TestServer server = context.getStore(NAMESPACE).remove(S3TestServer.class, S3TestServer.class);
        if (server != null) {
            server.close();
        }
    }

    /**
     * Tells JUnit that this extension resolves parameters of type {@link S3TestServer}.
     *
     * @param parameterContext the parameter to resolve
     * @param extensionContext the current context
     * @return whether the parameter's type is {@code S3TestServer}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == S3TestServer.class;
    }

    /**
     * Returns the server of the current test class.
     *
     * @param parameterContext the parameter to resolve
     * @param extensionContext the current context
     * @return the running server
     * @throws ParameterResolutionException if no server runs
     */
    @Override
    public S3TestServer resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        S3TestServer server = extensionContext.getStore(NAMESPACE).get(S3TestServer.class, S3TestServer.class);
        if (server == null) {
            throw new ParameterResolutionException(
                    "S3ServerExtension starts its server before all tests of a class; register it on the class, not on "
                            + parameterContext.getDeclaringExecutable());
        }
        return server;
    }
}
