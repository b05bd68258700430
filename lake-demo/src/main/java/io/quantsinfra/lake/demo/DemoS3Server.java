package io.quantsinfra.lake.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An embedded S3 API on {@code 127.0.0.1}: S3Proxy over jclouds' filesystem backend in one directory, on an
 * ephemeral port. What {@code demo --s3} runs, what lake-testkit's test server builds on, and, through
 * {@link #main}, what {@code bench/run.sh} starts.
 *
 * <p>It accepts only requests signed (AWS Signature V2 or V4) with {@link #ACCESS_KEY} and {@link #SECRET_KEY};
 * any region name works, {@link #REGION} is the natural one. Use path-style addressing: the endpoint is an IP
 * address, so a virtual-hosted bucket name cannot resolve. Objects are plain files, {@code directory/bucket/key},
 * and stay there after {@link #close()}.
 *
 * <p>What it does like S3 and what it does not, as of S3Proxy 2.6.0:
 * <ul>
 *   <li>a multipart upload's object is invisible until the upload is completed;
 *   <li>it knows no {@code x-amz-checksum-crc32} header, which current AWS SDKs send with every upload unless
 *       told to calculate checksums only when required, and still send with DeleteObjects, which requires one.
 *       Strict, it answers {@code NotImplemented}; this server ignores unknown headers, so it does not check such
 *       checksums either;
 *   <li>it ignores {@code If-None-Match} and {@code If-Match} on PUT (it honours them on GET and HEAD only), so a
 *       conditional put overwrites;
 *   <li>ListMultipartUploads returns every upload in one page, in no particular order, with the time of the
 *       listing as each upload's initiation time, and refuses {@code max-uploads};
 *   <li>ListParts of an aborted or completed upload returns no parts rather than {@code NoSuchUpload};
 *   <li>the filesystem backend keeps an object {@code a/b} as a file in directory {@code a}, and listings show
 *       that directory as a marker object {@code a/}.
 * </ul>
 */
public final class DemoS3Server implements AutoCloseable {

    /** The only access key id the server accepts. */
    public static final String ACCESS_KEY = "lake-demo-access-key";

    /** The secret key that goes with {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = "lake-demo-secret-key";

    /** The region clients should sign for; the server does not check it. */
    public static final String REGION = "us-east-1";

    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_NANOS = 10_000_000_000L;

    private final Path directory;
    private final String bucket;
    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoS3Server(Path directory, String bucket, BlobStoreContext context, S3Proxy proxy) {
        this.directory = directory;
        this.bucket = bucket;
        this.context = context;
        this.proxy = proxy;
        this.endpoint = URI.create("http://" + HOST + ":" + proxy.getPort());
    }

    /**
     * Starts a server that keeps its buckets in {@code directory}, with {@code bucket} in it.
     *
     * @param directory where the buckets live, created if missing; what it already holds is served
     * @param bucket    a valid S3 bucket name, created if missing
     * @return the running server
     * @throws IOException if the directory cannot be created or the server cannot start
     */
    public static DemoS3Server start(Path directory, String bucket) throws IOException {
        Objects.requireNonNull(bucket, "bucket");
        Path root = Files.createDirectories(directory.toAbsolutePath().normalize());
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", root.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        try {
            context.getBlobStore().createContainerInLocation(null, bucket);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://" + HOST + ":0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    // the SDK's x-amz-checksum-crc32 on DeleteObjects, which S3Proxy does not know
                    .ignoreUnknownHeaders(true)
                    .build();
            startAndWait(proxy);
            return new DemoS3Server(root, bucket, context, proxy);
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Starts Jetty inside S3Proxy and waits until it reports STARTED. */
    private static void startAndWait(S3Proxy proxy) throws IOException {
        try {
            proxy.start();
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
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

    /** {@return the bucket the server started with} */
    public String bucket() {
        return bucket;
    }

    /** {@return the directory that holds the buckets, absolute and normalized} */
    public Path directory() {
        return directory;
    }

    /**
     * Creates another empty bucket.
     *
     * @param name a valid S3 bucket name
     * @throws IllegalStateException if the bucket already exists
     */
    public void createBucket(String name) {
        Objects.requireNonNull(name, "name");
        if (!context.getBlobStore().createContainerInLocation(null, name)) {
            throw new IllegalStateException("bucket " + name + " already exists");
        }
    }

    /**
     * Returns where the filesystem backend keeps an object, to look behind the API's back: a file only appears
     * here once the object is complete.
     *
     * @param bucket the bucket
     * @param key    the object key
     * @return the file that holds the object's bytes, which need not exist
     */
    public Path objectFile(String bucket, String key) {
        return directory.resolve(bucket).resolve(key);
    }

    /**
     * Stops the server; its buckets stay in the directory. Calling it again does nothing.
     *
     * @throws IOException if the server cannot stop
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            proxy.stop();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3Proxy did not stop: " + e.getMessage(), e);
        } finally {
            context.close();
        }
    }

    /**
     * Serves a directory until the process is killed, for benchmarks and manual tries:
     * {@code java -cp quants-infra.jar io.quantsinfra.lake.demo.DemoS3Server DIRECTORY BUCKET}. Prints the
     * endpoint ({@code listening on http://127.0.0.1:PORT}) and then the keys, as shell assignments.
     *
     * @param args the directory that holds the buckets, and the bucket to create if missing
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java -cp quants-infra.jar " + DemoS3Server.class.getName() + " DIRECTORY BUCKET");
            System.exit(2);
        }
        DemoS3Server server = start(Path.of(args[0]), args[1]);
        PrintStream out = System.out;
        out.println("listening on " + server.endpoint() + " with bucket " + server.bucket() + " in " + server.directory());
        out.println("AWS_ACCESS_KEY_ID=" + ACCESS_KEY + " AWS_SECRET_ACCESS_KEY=" + SECRET_KEY);
        out.flush();
        try {
            new CountDownLatch(1).await(); // the caller ends the process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
