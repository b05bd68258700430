package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.ObjectStoreRoot;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.S3Location;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.LakeStoreFactory;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.s3.S3Client;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the profiles of a lake kept in an S3-compatible bucket: pass it to
 * {@code new DataLake(config, connector, stores)}. One client, one budget of upload memory and
 * one set of HEAD threads serve every profile and run; {@link #close} ends them.
 *
 * <pre>{@code
 * try (S3LakeStores stores = S3LakeStores.connect(config.objectStore().orElseThrow())) {
 *     DataLake lake = new DataLake(config, new SftpConnector(), stores);
 *     lake.sync("cex_ticks", SyncOptions.defaults(), SyncListener.NONE);
 * }
 * }</pre>
 */
public final class S3LakeStores implements LakeStoreFactory, AutoCloseable {
    /**
     * Bytes of each part of a large file's upload, and the size from which a file goes up in
     * parts: above S3's 5 MiB minimum, and small enough that a resume re-reads little.
     */
    public static final int PART_SIZE = 8 * 1024 * 1024;
    /** The upload memory all profiles share: small files until their PUT, one part per large file. */
    public static final int MEMORY = 64 * 1024 * 1024;
    /** HEAD requests in flight while a directory is listed. */
    private static final int HEADS = 16;

    private final ObjectStore store;
    private final S3Location root;
    private final PartMemory memory;
    private final ExecutorService heads;
    private final Leases leases;

    /**
     * Stores under {@code root} in {@code store}'s bucket; the stores own {@code store} from now on.
     */
    public S3LakeStores(ObjectStore store, S3Location root) {
        this(store, root, MEMORY);
    }

    /** Stores whose upload memory is {@code memory} bytes, e.g. a test's small budget. */
    S3LakeStores(ObjectStore store, S3Location root, int memory) {
        this.store = store;
        this.root = root;
        this.memory = new PartMemory(memory);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(HEADS, HEADS, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "lake-s3-head-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true); // idle between runs: a lake that is never closed keeps no threads
        this.heads = pool;
        this.leases = new Leases(store, root);
    }

    /** Stores for a configured lake, reached with the AWS SDK's default credentials. */
    public static S3LakeStores connect(ObjectStoreRoot root) {
        return connect(root, S3Clients.create(root.settings()));
    }

    /**
     * Stores for a configured lake, reached with the keys {@code env} holds
     * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}), else
     * the AWS SDK's default chain: a process that runs commands with an environment of their own
     * (a CLI under test, a service per tenant) passes it here.
     */
    public static S3LakeStores connect(ObjectStoreRoot root, Map<String, String> env) {
        return connect(root, S3Clients.create(root.settings(), S3Clients.credentials(env)));
    }

    private static S3LakeStores connect(ObjectStoreRoot root, S3Client client) {
        return new S3LakeStores(new ObjectStore(client, root.location().bucket()), root.location());
    }

    /**
     * @throws LakeException of kind {@code CONFIG} for a profile whose lake is not in this bucket
     */
    @Override
    public LakeStore open(Profile profile) {
        S3Location location = profile.objectLocation().filter(l -> l.bucket().equals(root.bucket()))
                .orElseThrow(() -> new LakeException(LakeException.Kind.CONFIG, profile.location(), "profile "
                        + profile.name() + " keeps its files at " + profile.location() + ", not in " + root,
                        "build the S3LakeStores from the same configuration as the DataLake"));
        return new S3LakeStore(store, location, profile, memory, PART_SIZE, heads, leases);
    }

    /** Closes the client, the HEAD threads and the lease renewals. */
    @Override
    public void close() {
        heads.shutdownNow();
        leases.close();
        store.close();
    }
}
