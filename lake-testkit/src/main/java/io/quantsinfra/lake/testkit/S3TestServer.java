package io.quantsinfra.lake.testkit;

import io.quantsinfra.lake.demo.DemoS3Server;
import io.quantsinfra.lake.demo.PathTrees;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real S3 API on {@code 127.0.0.1}, for tests: lake-demo's {@link DemoS3Server} (S3Proxy over jclouds'
 * filesystem backend) in a temporary directory that {@link #close()} deletes, with one empty bucket
 * ({@link #bucket()}). What S3Proxy does like S3 and what it does not is listed on {@link DemoS3Server}.
 *
 * <p>It accepts only requests signed with {@link #ACCESS_KEY} and {@link #SECRET_KEY}; any region name works,
 * {@link #REGION} is the natural one. Use path-style addressing.
 */
public final class S3TestServer implements AutoCloseable {

    /** The only access key id the server accepts. */
    public static final String ACCESS_KEY = DemoS3Server.ACCESS_KEY;

    /** The secret key that goes with {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = DemoS3Server.SECRET_KEY;

    /** The region clients should sign for; the server does not check it. */
    public static final String REGION = DemoS3Server.REGION;

    /** The bucket every server starts with, empty. */
    public static final String BUCKET = "lake-test";

    private final DemoS3Server server;

    private S3TestServer(DemoS3Server server) {
        this.server = server;
    }

    /**
     * Starts a server that keeps its buckets in a fresh temporary directory, deleted on close.
     *
     * @return the running server, with the empty bucket {@link #BUCKET}
     * @throws IOException if the directory cannot be created or the server cannot start
     */
    public static S3TestServer start() throws IOException {
        Path directory = Files.createTempDirectory("lake-s3-test-");
        try {
            return new S3TestServer(DemoS3Server.start(directory, BUCKET));
        } catch (IOException | RuntimeException e) {
            PathTrees.deleteRecursively(directory);
            throw e;
        }
    }

    /** {@return the endpoint to give the client, {@code http://127.0.0.1:port}} */
    public URI endpoint() {
        return server.endpoint();
    }

    /** {@return the ephemeral port the server picked on start} */
    public int port() {
        return server.port();
    }

    /** {@return {@link #BUCKET}, the bucket the server started with} */
    public String bucket() {
        return server.bucket();
    }

    /**
     * Creates another empty bucket, e.g. so that a test class can give each test its own.
     *
     * @param name a valid S3 bucket name
     * @throws IllegalStateException if the bucket already exists
     */
    public void createBucket(String name) {
        server.createBucket(name);
    }

    /**
     * Returns where the filesystem backend keeps an object, to look behind the API's back: a
     * file only appears here once the object is complete.
     *
     * @param bucket the bucket
     * @param key    the object key
     * @return the file that holds the object's bytes, which need not exist
     */
    public Path objectFile(String bucket, String key) {
        return server.objectFile(bucket, key);
    }

    /**
     * Stops the server and deletes its buckets. Calling it again does nothing.
     *
     * @throws IOException if the server cannot stop or its directory cannot be deleted
     */
    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            PathTrees.deleteRecursively(server.directory());
        }
    }
}
