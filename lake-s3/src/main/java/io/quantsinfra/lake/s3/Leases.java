package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.S3Location;
import io.quantsinfra.lake.store.LakeStore;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The profiles' leases in one bucket, under {@code ROOT/.lake/leases/}, where no profile's files
 * are. Whether the store honours conditional writes is probed once, on the first claim; where it
 * does not (S3Proxy 2.6.0, AWS S3 before late 2024), no lease is taken and only the lock file of
 * each machine holds.
 */
final class Leases implements AutoCloseable {
    private final ObjectStore store;
    private final S3Location root;
    private final ScheduledExecutorService renewals;
    private Boolean honoured;

    Leases(ObjectStore store, S3Location root) {
        this.store = store;
        this.root = root;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lake-s3-lease");
            t.setDaemon(true);
            return t;
        });
        pool.setKeepAliveTime(5, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        this.renewals = pool;
    }

    /** The lease of {@code profile}, or {@link LakeStore.Claim#NONE} where the store cannot keep one. */
    LakeStore.Claim claim(String profile, String where, Clock clock) {
        if (!honoured()) {
            return LakeStore.Claim.NONE;
        }
        return BucketLease.take(store, root.key(S3Location.TOOL_DIRECTORY + "/leases/" + profile), where, clock, renewals);
    }

    /** Whether the store refuses both a second create and a stale replace; probed once. */
    synchronized boolean honoured() {
        if (honoured == null) {
            ObjectStore.ConditionalWrites w = store.probeConditionalWrites(root.key(S3Location.TOOL_DIRECTORY + "/probe-" + UUID.randomUUID()));
            honoured = w.createOnly() && w.replaceIfMatch();
        }
        return honoured;
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
