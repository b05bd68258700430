package io.quantsinfra.lake.testkit;

import io.quantsinfra.lake.demo.PathTrees;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API on {@code 127.0.0.1}, for tests: S3Proxy over jclouds' filesystem backend in a
 * temporary directory, listening on an ephemeral port, with one empty bucket ({@link #bucket()}).
 *
 * <p>It accepts only requests signed (AWS Signature V2 or V4) with {@link #ACCESS_KEY} and
 * {@link #SECRET_KEY}; any region name works, {@link #REGION} is the natural one. Use path-style
 * addressing: the endpoint is an IP address, so a virtual-hosted bucket name cannot resolve.
 *
 * <p>What it does like S3 and what it does not, as of S3Proxy 2.6.0:
 * <ul>
 *   <li>a multipart upload's object is invisible until the upload is completed;
 *   <li>it knows no {@code x-amz-checksum-crc32} header, which current AWS SDKs send with every
 *       upload unless told to calculate checksums only when required, and still send with
 *       DeleteObjects, which requires one. Strict, it answers {@code NotImplemented}; this server
 *       ignores unknown headers, so it does not check such checksums either;
 *   <li>it ignores {@code If-None-Match} and {@code If-Match} on PUT (it honours them on GET and
 *       HEAD only), so a conditional put overwrites;
 *   <li>ListMultipartUploads returns every upload in one page, in no particular order, with the
 *       time of the listing as each upload's initiation time, and refuses {@code max-uploads};
 *   <li>ListParts of an aborted or completed upload returns no parts rather than
 *       {@code NoSuchUpload};
 *   <li>the filesystem backend keeps an object {@code a/b} as a file in directory {@code a},
 *       and listings show that directory as a marker object {@code a/}.
 * </ul>
 */
public final class S3TestServer implements AutoCloseable {

    /** The only access key id the server accepts. */
    public static final String ACCESS_KEY = "lake-test-access-key";

    /** The secret key that goes with {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = "lake-test-secret-key";

    /** The region clients should sign for; the server does not check it. */
    public static final String REGION = "us-east-1";

    /** The bucket every server starts with, empty. */
    public static final String BUCKET = "lake-test";

    private final Path directory;
    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer(Path directory, BlobStoreContext context, S3Proxy proxy, URI endpoint) {
        this.directory = directory;
        this.context = context;
        this.proxy = proxy;
        this.endpoint = endpoint;
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
            return start(directory);
        } catch (IOException | RuntimeException e) {
            PathTrees.deleteRecursively(directory);
            throw e;
        }
    }

    private static S3TestServer start(Path directory) throws IOException {
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", directory.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        try {
            context.getBlobStore().createContainerInLocation(null, BUCKET);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    // the SDK's x-amz-checksum-crc32 on DeleteObjects, which S3Proxy does not know
                    .ignoreUnknownHeaders(true)
                    .build();
            startAndWait(proxy);
            return new S3TestServer(directory, context, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Starts Jetty inside S3Proxy and waits until it reports STARTED. */
    private static void startAndWait(S3Proxy proxy) throws IOException {
        try {
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("S3Proxy did not start within 10 s; state " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while S3Proxy started", e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3Proxy did not start: " + e.getMessage(), e);
        }
    }

    /** {@return the endpoint to give the client, {@code http://127.0.0.1:port}} */
    public URI endpoint() {
        return endpoint;
    }

    /** {@return the ephemeral port the server picked on start} */
    public int port() {
        return endpoint.getPort();
    }

    /** {@return {@link #BUCKET}, the bucket the server started with} */
    public String bucket() {
        return BUCKET;
    }

    /**
     * Creates another empty bucket, e.g. so that a test class can give each test its own.
     *
     * @param name a valid S3 bucket name
     * @throws IllegalStateException if the bucket already exists
     */
    public void createBucket(String name) {
        Objects.requireNonNull(name, "name");
        if (!blobStore().createContainerInLocation(null, name)) {
            throw new IllegalStateException("bucket " + name + " already exists");
        }
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
        return directory.resolve(bucket).resolve(key);
    }

    private BlobStore blobStore() {
        return context.getBlobStore();
    }

    /**
     * Stops the server and deletes its buckets. Calling it again does nothing.
     *
     * @throws IOException if the server cannot stop or its directory cannot be deleted
     */
    @Override
    public void close() throws IOException {
        try {
            if (!"STOPPED".equals(proxy.getState())) {
                proxy.stop();
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3Proxy did not stop: " + e.getMessage(), e);
        } finally {
            context.close();
            PathTrees.deleteRecursively(directory);
        }
    }
}
