package io.quantsinfra.lake.durability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * Publishes small received files in batches, each behind one sync of the file systems they are
 * on: a file is renamed into place only after its bytes are durable, as with an fdatasync per
 * file, but the disk is asked to flush once per batch instead of once per file.
 *
 * <p>A batch closes when it holds {@link #MAX_FILES} files, when its first file has waited
 * {@link #MAX_WAIT}, or when {@link #finish} says no more will come. One thread of its own syncs
 * and then runs each file's {@link Waiting#durable} (the rename), in the order they came.
 */
public final class BatchSync {
    /**
     * Files from this size on are synced on their own: their fdatasync costs about what writing
     * their bytes costs anyway, and a syncfs would also wait for whatever else is dirty on the
     * file system (another program's writes), which for small files is the lesser cost.
     */
    public static final long MAX_FILE_SIZE = 1024 * 1024;
    /** Files per batch at most. */
    static final int MAX_FILES = 512;
    /** How long the first file of a batch waits for others before the batch is synced. */
    static final Duration MAX_WAIT = Duration.ofMillis(100);
    /** Files queued at most; {@link #add} waits beyond. */
    static final int MAX_QUEUED = 8 * MAX_FILES;

    /** A file waiting for its batch's sync. */
    public interface Waiting {
        /** The directory its bytes are in (it names the file system to sync). */
        Path directory();

        /** Its bytes are durable: publish it. */
        void durable();

        /** Its bytes could not be made durable. */
        void notDurable(IOException e);
    }

    /** How the batch is made durable: one call for the file systems holding these directories. */
    public interface Syncer {
        void sync(Set<Path> directories) throws IOException;
    }

    private final Syncer syncer;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Thread thread;
    private long firstWaitingSince;
    private boolean finishing;
    private RuntimeException failure;

    /** Starts the thread that syncs and publishes, made by {@code threads}. */
    public BatchSync(Syncer syncer, ThreadFactory threads) {
        this.syncer = syncer;
        this.thread = threads.newThread(this::run);
        thread.start();
    }

    /**
     * Queues a file whose bytes are written and closed; waits while {@link #MAX_QUEUED} are
     * queued already (the disk is slower than the network).
     *
     * @throws InterruptedException if interrupted while waiting; the file was not queued
     */
    public synchronized void add(Waiting w) throws InterruptedException {
        while (waiting.size() >= MAX_QUEUED) {
            wait();
        }
        if (waiting.isEmpty()) {
            firstWaitingSince = System.nanoTime();
        }
        waiting.add(w);
        if (waiting.size() == 1 || waiting.size() >= MAX_FILES) {
            notifyAll(); // a batch begins its wait, or is full
        }
    }

    /**
     * Syncs and publishes what is queued, waits until that is done, and stops the thread. A bug
     * in a {@link Waiting} callback is rethrown here.
     *
     * @throws InterruptedException if interrupted while waiting; the thread still finishes the queue
     */
    public void finish() throws InterruptedException {
        synchronized (this) {
            finishing = true;
            notifyAll();
        }
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        while (true) {
            List<Waiting> batch = next();
            if (batch.isEmpty()) {
                return;
            }
            Set<Path> dirs = new LinkedHashSet<>();
            batch.forEach(w -> dirs.add(w.directory()));
            IOException error = null;
            try {
                syncer.sync(dirs);
            } catch (IOException e) {
                error = e;
            }
            for (Waiting w : batch) {
                try {
                    if (error == null) {
                        w.durable();
                    } else {
                        w.notDurable(error);
                    }
                } catch (RuntimeException e) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                }
            }
        }
    }

    /** The next batch, once it is due; empty when finishing and nothing is left. */
    private synchronized List<Waiting> next() {
        try {
            while (waiting.isEmpty() && !finishing) {
                wait();
            }
            while (!finishing && waiting.size() < MAX_FILES) {
                long left = firstWaitingSince + MAX_WAIT.toNanos() - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            finishing = true; // the run is being torn down: publish what is here and stop
        }
        List<Waiting> batch = new ArrayList<>();
        while (!waiting.isEmpty() && batch.size() < MAX_FILES) {
            batch.add(waiting.poll());
        }
        notifyAll(); // room for those waiting in add
        if (!waiting.isEmpty()) {
            firstWaitingSince = System.nanoTime();
        }
        return batch;
    }
}
