package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.config.Profile;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads that every run of one lake shares, so that profiles synced at once share
 * one bounded set instead of each starting its own hundreds. Each run gets its share as an
 * executor of its own ({@link #transfers}, {@link #publishers}) that bounds how many of its tasks run at once and
 * stops only its own tasks. Threads end after a minute idle, so a pool needs no closing; they
 * come from {@link #DAEMONS} or the caller's own factory.
 */
public final class WorkerPool {
    /** Workers only shuffle buffers; a small stack keeps hundreds of them cheap. */
    private static final long STACK = 256 * 1024;
    private static final long IDLE_SECONDS = 60;
    /** Files a run keeps in flight by default at most: at latency, enough to hide the round trip. */
    static final int MOST_FILES_PER_RUN = 256;
    /** Threads that close received files: each waits on the disk, not the CPU. */
    static final int PUBLISHERS = 64;

    /** Daemon threads with small stacks: what the lake's threads are made with unless the caller gives its own. */
    public static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(null, r, "lake", STACK);
        t.setDaemon(true);
        return t;
    };

    private final ThreadFactory threads;
    private final ThreadPoolExecutor transfer;
    private final ThreadPoolExecutor publish;

    /**
     * The pool for runs of {@code profiles}: as many transfer threads as the most any of them uses.
     *
     * @param threads makes every thread of the lake's runs, which then names it after its role
     */
    public static WorkerPool forProfiles(Collection<Profile> profiles, ThreadFactory threads) {
        return new WorkerPool(profiles.stream().mapToInt(p -> Math.max(p.parallelFiles(), MOST_FILES_PER_RUN)).max()
                .orElse(MOST_FILES_PER_RUN), threads);
    }

    /** @param transferThreads the most threads that list and transfer at once, over all runs */
    WorkerPool(int transferThreads, ThreadFactory threads) {
        this.threads = threads;
        this.transfer = pool(transferThreads, "transfer");
        this.publish = pool(PUBLISHERS, "publish");
    }

    /** A thread of the lake's factory, named {@code name}, not started. */
    Thread newThread(Runnable task, String name) {
        Thread t = threads.newThread(task);
        t.setName(name);
        return t;
    }

    /** A run's listing and transfer workers: at most {@code parallel} of its tasks run at once. */
    ExecutorService transfers(String profile, int parallel) {
        return new RunExecutor(transfer, parallel, "lake-" + profile + "-transfer");
    }

    /** A run's publishers, which close, sync and rename received files. */
    ExecutorService publishers(String profile) {
        return new RunExecutor(publish, PUBLISHERS, "lake-" + profile + "-publish");
    }

    private ThreadPoolExecutor pool(int size, String role) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> newThread(r, "lake-" + role + "-" + n.incrementAndGet());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
