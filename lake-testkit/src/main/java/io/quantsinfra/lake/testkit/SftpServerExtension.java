package io.quantsinfra.lake.testkit;

import io.quantsinfra.lake.demo.PathTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a fresh {@link SftpTestServer} with an Ed25519 client key before each test
 * and stops it afterwards.
 *
 * <p>The server serves an empty temporary directory ({@link SftpTestServer#servedRoot()}) and keeps its key
 * files in a sibling directory; both are deleted after the test. Declare a parameter of type
 * {@code SftpTestServer} on a test or {@code @BeforeEach} method to get the server.
 */
public final class SftpServerExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SftpServerExtension.class);

    /** Creates the extension; JUnit calls this for {@code @ExtendWith(SftpServerExtension.class)}. */
    public SftpServerExtension() {
    }

    /**
     * Starts a server over a fresh temporary directory.
     *
     * @param context the context of the test about to run
     * @throws IOException if the directory cannot be created or the server cannot start
     */
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path directory = Files.createTempDirectory("lake-sftp-test-");
        SftpTestServer server;
        try {
            server = SftpTestServer.builder(directory.resolve("root"))
                    .keyDirectory(directory.resolve("keys"))
                    .start();
        } catch (IOException | RuntimeException e) {
            PathTrees.deleteRecursively(directory);
            throw e;
        }
        context.getStore(NAMESPACE).put(Fixture.class, new Fixture(directory, server));
    }

    /**
     * Stops the test's server and deletes its directories.
     *
     * @param context the context of the test that ran
     * @throws IOException if the directories cannot be deleted
     */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        Fixture fixture = context.getStore(NAMESPACE).remove(Fixture.class, Fixture.class);
        if (fixture != null) {
            try {
                fixture.server().close();
            } finally {
                PathTrees.deleteRecursively(fixture.directory());
            }
        }
    }

    /**
     * Tells JUnit that this extension resolves parameters of type {@link SftpTestServer}.
     *
     * @param parameterContext the parameter to resolve
     * @param extensionContext the current context
     * @return whether the parameter's type is {@code SftpTestServer}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SftpTestServer.class;
    }

    /**
     * Returns the server started for the current test.
     *
     * @param parameterContext the parameter to resolve
     * @param extensionContext the current context
     * @return the running server
     * @throws ParameterResolutionException if no server runs, e.g. for a constructor parameter
     */
    @Override
    public SftpTestServer resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Fixture fixture = extensionContext.getStore(NAMESPACE).get(Fixture.class, Fixture.class);
        if (fixture == null) {
            throw new ParameterResolutionException(
                    "SftpServerExtension starts its server before each test; inject it into test or @BeforeEach"
                            + " methods, not " + parameterContext.getDeclaringExecutable());
        }
        return fixture.server();
    }

    /** The server of one test and the temporary directory holding its root and keys. */
    private record Fixture(Path directory, SftpTestServer server) {
    }
}
