package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.config.Profile;
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
    /** Threads that close received files: each waits on the disk, not the CPU. */
    static final int PUBLISHERS = 64;

    /** Daemon threads with small stacks: what the lake's threads are made with unless the caller gives its own. */
    public static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(null, r, "lake", STACK);
        t.setDaemon(true);
        return t;
    };

    private final ThreadFactory threads;
    private final GrowingPool transfer;
    private final GrowingPool publish;

    /**
     * The pool for a lake's runs: as many transfer threads as {@code parallel_files} allows one
     * run; a thread starts only when every one is busy, so a fast link never grows this many.
     *
     * @param threads makes every thread of the lake's runs, which then names it after its role
     */
    public static WorkerPool create(ThreadFactory threads) {
        return new WorkerPool(Profile.MOST_PARALLEL_FILES, threads);
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

    /**
     * Up to {@code size} threads, a new one only when every thread is busy: a plain pool of that
     * core size starts a new thread for each task until it has them all, even with idle ones, and
     * each thread keeps the JDK's cache of temporary direct buffers for its file writes.
     */
    private GrowingPool pool(int size, String role) {
        AtomicInteger n = new AtomicInteger();
        return new GrowingPool(size, r -> newThread(r, "lake-" + role + "-" + n.incrementAndGet()));
    }

    /** A pool that counts the tasks given to it and not yet done, to tell whether a thread is free (as Tomcat's does). */
    private static final class GrowingPool extends ThreadPoolExecutor {
        private final AtomicInteger unfinished = new AtomicInteger();

        GrowingPool(int size, ThreadFactory threads) {
            this(size, threads, new ReusingQueue());
        }

        private GrowingPool(int size, ThreadFactory threads, ReusingQueue queue) {
            super(0, size, IDLE_SECONDS, TimeUnit.SECONDS, queue, threads, (task, full) -> queue.force(task));
            queue.pool = this;
        }

        @Override
        public void execute(Runnable task) {
            unfinished.incrementAndGet();
            super.execute(task);
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            unfinished.decrementAndGet();
        }
    }

    /** Queues a task only when a thread is free for it or none may be added, so that busy pools grow and idle ones do not. */
    private static final class ReusingQueue extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;
        private transient GrowingPool pool;

        @Override
        public boolean offer(Runnable task) {
            if (pool.unfinished.get() > pool.getPoolSize() && pool.getPoolSize() < pool.getMaximumPoolSize()) {
                return false; // every thread has a task and another may be made: the pool makes it
            }
            return super.offer(task);
        }

        /** Queues a task the pool could not give a new thread (it reached its size meanwhile). */
        void force(Runnable task) {
            super.offer(task);
        }
    }
}
