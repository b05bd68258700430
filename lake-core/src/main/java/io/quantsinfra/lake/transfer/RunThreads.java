package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.config.Profile;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one run: its share of the lake's {@link WorkerPool}, how many workers keep its
 * files in flight, and its own few threads, named after the profile and their role.
 */
final class RunThreads {
    /** Workers on a link without latency (loopback, LAN): more only compete for the CPU. */
    private static final int FAST_LINK_WORKERS = 16;
    /**
     * Workers per millisecond of round trip: a group of small files waits two round trips, so the
     * workers that hide the link grow with it. A worker carries up to 32 small files at once, and
     * larger files are bound by the READ budget first, so a few suffice: with more, every group
     * starts at once and the replies arrive in one burst that the workers then fight over.
     */
    private static final double WORKERS_PER_ROUND_TRIP_MS = 0.8;

    private final Profile profile;
    private final WorkerPool workers;

    RunThreads(Profile profile, WorkerPool workers) {
        this.profile = profile;
        this.workers = workers;
    }

    /**
     * The workers that list and transfer: as many at once as the profile's {@code parallel_files},
     * or by default {@link #workersFor} the measured round trip.
     */
    ExecutorService transferPool(Duration roundTrip) {
        int size = profile.parallelFiles() > 0 ? profile.parallelFiles() : workersFor(roundTrip);
        return workers.transfers(profile.name(), size);
    }

    /**
     * Workers that hide {@code roundTrip}: in proportion to it, from {@link #FAST_LINK_WORKERS} on
     * a fast link to {@link Profile#MOST_PARALLEL_FILES} at 1.28 s and beyond.
     */
    static int workersFor(Duration roundTrip) {
        double workers = Math.ceil(roundTrip.toNanos() / 1e6 * WORKERS_PER_ROUND_TRIP_MS);
        return (int) Math.min(Profile.MOST_PARALLEL_FILES, Math.max(FAST_LINK_WORKERS, workers));
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
