package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.config.Profile;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads of one run: how many files are in flight, and threads named after the profile and their role. */
final class RunThreads {
    /** Below this round trip a link counts as fast (loopback, LAN). */
    private static final Duration FAST_LINK = Duration.ofMillis(5);
    private static final int FAST_LINK_FILES = 16;
    private static final int SLOW_LINK_FILES = 256;
    /** Workers only shuffle buffers; a small stack keeps 256 of them cheap. */
    private static final long WORKER_STACK = 256 * 1024;

    private final Profile profile;

    RunThreads(Profile profile) {
        this.profile = profile;
    }

    /**
     * The pool of workers that list and transfer: the profile's {@code parallel_files}, or by
     * default enough to hide the round trip. On a fast link more threads only compete for the
     * CPU; at latency each file spends two round trips waiting, so many must overlap.
     */
    ExecutorService transferPool(Duration roundTrip) {
        int size = profile.parallelFiles() > 0 ? profile.parallelFiles()
                : roundTrip.compareTo(FAST_LINK) < 0 ? FAST_LINK_FILES : SLOW_LINK_FILES;
        return Executors.newFixedThreadPool(size, factory("transfer"));
    }

    /** Daemon threads named after the profile and {@code role}, with small stacks. */
    ThreadFactory factory(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, "lake-" + profile.name() + "-" + role + "-" + n.incrementAndGet(), WORKER_STACK);
            t.setDaemon(true);
            return t;
        };
    }
}
