package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.config.Profile;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one run: its share of the lake's {@link WorkerPool}, how many files it keeps in
 * flight, and its own few threads, named after the profile and their role.
 */
final class RunThreads {
    /** Files in flight on a link without latency (loopback, LAN): more only compete for the CPU. */
    private static final int FAST_LINK_FILES = 16;
    /**
     * Files in flight per millisecond of round trip: each file waits two round trips, so the
     * files that hide the link grow with it; 256 at 40 ms, the value the 40 ms rows were tuned with.
     */
    private static final double FILES_PER_ROUND_TRIP_MS = 6.4;

    private final Profile profile;
    private final WorkerPool workers;

    RunThreads(Profile profile, WorkerPool workers) {
        this.profile = profile;
        this.workers = workers;
    }

    /**
     * The workers that list and transfer: as many at once as the profile's {@code parallel_files},
     * or by default {@link #filesInFlight} for the measured round trip.
     */
    ExecutorService transferPool(Duration roundTrip) {
        int size = profile.parallelFiles() > 0 ? profile.parallelFiles() : filesInFlight(roundTrip);
        return workers.transfers(profile.name(), size);
    }

    /**
     * Workers that hide {@code roundTrip}: in proportion to it, from {@link #FAST_LINK_FILES} on a
     * fast link to {@link Profile#MOST_PARALLEL_FILES} at 160 ms and beyond.
     */
    static int filesInFlight(Duration roundTrip) {
        double files = Math.ceil(roundTrip.toNanos() / 1e6 * FILES_PER_ROUND_TRIP_MS);
        return (int) Math.min(Profile.MOST_PARALLEL_FILES, Math.max(FAST_LINK_FILES, files));
    }

    /** The run's publishers, which close, sync and rename received files. */
    ExecutorService publishers() {
        return workers.publishers(profile.name());
    }

    /** Threads of the lake's factory named after the profile and {@code role}. */
    ThreadFactory factory(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> workers.newThread(r, "lake-" + profile.name() + "-" + role + "-" + n.incrementAndGet());
    }
}
