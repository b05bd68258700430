package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.ObjectStoreSettings;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.S3Location;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.LakeStoreFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final PartMemory memory = new PartMemory(MEMORY);
    private final ExecutorService heads;

    /**
     * Stores under {@code root} in {@code store}'s bucket; the stores own {@code store} from now on.
     */
    public S3LakeStores(ObjectStore store, S3Location root) {
        this.store = store;
        this.root = root;
        AtomicInteger n = new AtomicInteger();
        this.heads = Executors.newFixedThreadPool(HEADS, r -> {
            Thread t = new Thread(r, "lake-s3-head-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Stores under {@code root}, reached with {@code settings} and the AWS SDK's default credentials. */
    public static S3LakeStores connect(ObjectStoreSettings settings, S3Location root) {
        return new S3LakeStores(new ObjectStore(S3Clients.create(settings), root.bucket()), root);
    }

    @Override
    public LakeStore open(Profile profile) {
        return new S3LakeStore(store, locationOf(profile), profile.rsync(), memory, PART_SIZE, heads);
    }

    /** The profile's prefix: the root's, then its {@code local_subdir}. */
    private S3Location locationOf(Profile profile) {
        return new S3Location(root.bucket(), root.keyPrefix() + profile.localSubdir().replaceAll("/+$", ""));
    }

    /** Closes the client and the HEAD threads. */
    @Override
    public void close() {
        heads.shutdownNow();
        store.close();
    }
}
