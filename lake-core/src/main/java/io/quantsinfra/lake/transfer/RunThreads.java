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
    /** Below this round trip a link counts as fast (loopback, LAN). */
    private static final Duration FAST_LINK = Duration.ofMillis(5);
    private static final int FAST_LINK_FILES = 16;
    private static final int SLOW_LINK_FILES = WorkerPool.MOST_FILES_PER_RUN;

    private final Profile profile;
    private final WorkerPool workers;

    RunThreads(Profile profile, WorkerPool workers) {
        this.profile = profile;
        this.workers = workers;
    }

    /**
     * The workers that list and transfer: as many at once as the profile's {@code parallel_files},
     * or by default enough to hide the round trip. On a fast link more threads only compete for
     * the CPU; at latency each file spends two round trips waiting, so many must overlap.
     */
    ExecutorService transferPool(Duration roundTrip) {
        int size = profile.parallelFiles() > 0 ? profile.parallelFiles()
                : roundTrip.compareTo(FAST_LINK) < 0 ? FAST_LINK_FILES : SLOW_LINK_FILES;
        return workers.transfers(profile.name(), size);
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
