package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.durability.BatchSync;
import io.quantsinfra.lake.durability.FileSystemSync;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs a plan's transfers: files under 1 MiB are read whole in groups, larger ones streamed one
 * per worker; received files are closed on a publisher pool, made durable (in batches behind one
 * syncfs, or each on its own) and renamed into place. Permits bound the open files and the files
 * read whole whose bytes wait in memory, so that workers never wait on each other.
 */
final class TransferScheduler {
    /** Received files not yet closed, each holding an open file: bounds file descriptors. */
    private static final int MAX_OPEN_FILES = 1024;
    /**
     * Files read whole, asked for and not yet written to their staging files: their bytes wait in
     * memory meanwhile (small ones in heap arrays, larger ones in the READ budget's buffers).
     * Small files' local files are opened, under {@link #MAX_OPEN_FILES}, only once the bytes are
     * here: holding those permits through the two round trips as well starved a high-latency
     * link of requests.
     */
    private static final int MAX_SMALL_IN_FLIGHT = 2048;
    /** Files read whole in one remote call at most (see {@link Transferer#fetchWhole}). */
    private static final int WHOLE_GROUP = 32;
    /**
     * Bytes read whole in one remote call at most, so that several such calls share the READ
     * budget; a group wakes one worker instead of one per file.
     */
    private static final long WHOLE_GROUP_BYTES = 4 * 1024 * 1024;
    /**
     * Files whose tasks are queued or running at most: more than the busiest pool works on at
     * once, a few MiB of transfers, whatever the size of the plan.
     */
    private static final int MAX_QUEUED_FILES = 16 * 1024;
    /** What the scheduler tells the run it serves, and asks of it; called from many threads. */
    interface Tally {
        /** Whether the user cancelled or a fatal error stopped the run. */
        boolean stopped();

        /** Stops the run, as a cancellation would (an interrupt, which the run gives back to its caller at the end). */
        void cancel();

        /** Records the error that stops the run (the first one wins) and stops it. */
        void stopOn(RuntimeException e);

        /** A file failed on its own; the run goes on. */
        void fail(PathError error);

        /** {@code bytes} more were received over the network. */
        void received(long bytes);

        /** A file was published as {@code outcome} says, in the local {@code directory}, if any. */
        void published(Transferer.Outcome outcome, Optional<Path> directory);

        /** A Parquet part was not complete yet: it waits for the next run. */
        void heldBack(HeldBackException e);
    }

    private final Profile profile;
    private final LakeStore store;
    private final SyncListener listener;
    private final InFlight inFlight;
    private final Tally tally;
    private final RunThreads threads;

    /** @param threads the run's threads, which publishers and batch syncs come from */
    TransferScheduler(Profile profile, LakeStore store, SyncListener listener, InFlight inFlight, Tally tally,
                      RunThreads threads) {
        this.profile = profile;
        this.store = store;
        this.listener = listener;
        this.inFlight = inFlight;
        this.tally = tally;
        this.threads = threads;
    }

    /**
     * Where received files go: a pool that closes them (and sets their mtime and permissions),
     * so that a worker moves on to its next file meanwhile, and then either a {@link BatchSync}
     * that renames them once a batch is durable, or (for large files, and where syncfs cannot
     * be called) an fdatasync per file on that pool before its rename. The pool also runs the early flushes
     * of large files. A received file holds a permit of {@code openFiles} until it is closed
     * or failed; a file read whole also holds one of {@code smallInFlight} from its request
     * until its bytes are written (see {@link #MAX_SMALL_IN_FLIGHT}).
     */
    private record Publishing(Transferer transferer, ExecutorService publisher, Semaphore openFiles,
                              Semaphore smallInFlight, List<Future<?>> futures, Optional<BatchSync> batches) {
    }

    /**
     * Runs the plan's transfers on {@code pool} and publishes each file, in batches behind
     * {@code fsSync} where there is one, and returns once every file is published or failed.
     */
    void run(SyncPlan plan, RemoteSession session, ExecutorService pool, Optional<FileSystemSync> fsSync) {
        ExecutorService publisher = threads.publishers();
        Publishing out = new Publishing(new Transferer(session, profile.source().remoteRoot(), store, profile.rsync(),
                listener, tally::stopped, inFlight, publisher, profile.parquetParts()), publisher, new Semaphore(MAX_OPEN_FILES),
                new Semaphore(MAX_SMALL_IN_FLIGHT), Collections.synchronizedList(new ArrayList<>()),
                fsSync.map(f -> new BatchSync(f::sync, threads.factory("sync"))));
        try {
            submitAll(plan, out, pool);
            awaitAll(out.futures());
        } finally {
            try {
                if (out.batches().isPresent()) {
                    out.batches().get().finish();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tally.cancel();
            } catch (RuntimeException e) {
                tally.stopOn(e); // a bug in publishing: stop the run and let it surface
            } finally {
                publisher.shutdownNow();
                awaitQuietly(publisher); // no file is sealed or renamed once the run sums up
            }
        }
    }

    /**
     * Queues the plan's transfers: large files first, one task each, then the small ones in
     * groups, each pass straight from the plan. Stops queueing when the run is cancelled.
     */
    private void submitAll(SyncPlan plan, Publishing out, ExecutorService pool) {
        Semaphore queued = new Semaphore(MAX_QUEUED_FILES);
        for (SyncPlan.Transfer t : plan.transfers()) {
            if (!out.transferer().readsWhole(t) && !submit(out, pool, queued, List.of(t), () -> transferOne(out, t))) {
                return;
            }
        }
        List<SyncPlan.Transfer> group = new ArrayList<>();
        long groupBytes = 0;
        for (SyncPlan.Transfer t : plan.transfers()) {
            if (!out.transferer().readsWhole(t)) {
                continue;
            }
            if (!group.isEmpty() && (group.size() == WHOLE_GROUP || groupBytes + t.size() > WHOLE_GROUP_BYTES)) {
                List<SyncPlan.Transfer> ts = List.copyOf(group);
                if (!submit(out, pool, queued, ts, () -> transferWhole(out, ts))) {
                    return;
                }
                group.clear();
                groupBytes = 0;
            }
            group.add(t);
            groupBytes += t.size();
        }
        if (!group.isEmpty()) {
            List<SyncPlan.Transfer> ts = List.copyOf(group);
            submit(out, pool, queued, ts, () -> transferWhole(out, ts));
        }
    }

    /** Waits for every transfer; an interrupt cancels the run, whose workers are then still waited for. */
    private void awaitAll(List<Future<?>> futures) {
        for (int i = 0; i < futures.size(); i++) {
            Future<?> f = futures.get(i);
            try {
                f.get();
            } catch (InterruptedException e) {
                tally.cancel(); // the run remembers it, and gives the interrupt back when it returns
                i--;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error; // e.g. OutOfMemoryError: no bug of ours to report, and no file's failure
                }
                // a bug in a worker: stop the run and let it surface as what it is
                tally.stopOn(e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
            }
        }
    }

    private void transferOne(Publishing out, SyncPlan.Transfer t) {
        if (tally.stopped() || !acquire(out.openFiles(), 1)) {
            return;
        }
        boolean handedOver = false;
        try {
            handOver(out, List.of(out.transferer().receive(t)));
            handedOver = true;
        } catch (Transferer.FileFailedException e) {
            tally.received(e.bytesTransferred());
            tally.fail(e.error());
        } catch (HeldBackException e) {
            tally.received(e.bytesTransferred());
            tally.heldBack(e);
        } catch (InterruptedIOException e) {
            tally.cancel();
        } catch (LakeException e) {
            tally.stopOn(e);
        } finally {
            if (!handedOver) {
                out.openFiles().release();
            }
        }
    }

    /**
     * Queues the task of {@code ts} on the pool once fewer than {@link #MAX_QUEUED_FILES} files
     * wait or run, so that the tasks of a million planned files are not all built at once.
     *
     * @return false when the run was cancelled while waiting
     */
    private boolean submit(Publishing out, ExecutorService pool, Semaphore queued, List<SyncPlan.Transfer> ts, Runnable task) {
        if (!acquire(queued, ts.size())) {
            return false;
        }
        out.futures().add(pool.submit(() -> {
            try {
                task.run();
            } finally {
                queued.release(ts.size());
            }
        }));
        return true;
    }

    /**
     * Like {@link #transferOne}, for files read whole together. Small files take their
     * open-file permits once their bytes are here; larger ones before they ask, since their
     * bytes hold the READ budget until written, and a worker that holds budget must not wait
     * for permits that workers waiting for budget hold.
     */
    private void transferWhole(Publishing out, List<SyncPlan.Transfer> ts) {
        if (tally.stopped() || !acquire(out.smallInFlight(), ts.size())) {
            return;
        }
        boolean permitsFirst = Transferer.holdsBudget(ts);
        if (permitsFirst && !acquire(out.openFiles(), ts.size())) {
            out.smallInFlight().release(ts.size());
            return;
        }
        boolean permitsHeld = permitsFirst;
        List<Transferer.Received> received = new ArrayList<>();
        List<RemoteFs.Whole> got = List.of();
        try {
            got = out.transferer().fetchWhole(ts);
            if (!permitsHeld && !acquire(out.openFiles(), ts.size())) {
                return;
            }
            permitsHeld = true;
            for (Transferer.Attempt a : out.transferer().keepWhole(ts, got)) {
                if (a.failure() != null) {
                    tally.fail(a.failure().error());
                } else if (a.heldBack() != null) {
                    tally.heldBack(a.heldBack());
                } else {
                    received.add(a.received());
                }
            }
        } catch (InterruptedIOException e) {
            tally.cancel();
        } catch (LakeException e) {
            tally.stopOn(e);
        } finally {
            got.forEach(RemoteFs.Whole::close); // written, failed, or not wanted any more
            if (permitsHeld) {
                out.openFiles().release(ts.size() - received.size()); // the received keep theirs until closed
            }
            out.smallInFlight().release(ts.size()); // written to their staging files, or failed
        }
        if (!received.isEmpty()) {
            handOver(out, received);
        }
    }

    /** Takes {@code n} permits; an interrupt instead stops the run. */
    private boolean acquire(Semaphore permits, int n) {
        try {
            permits.acquire(n);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.cancel();
            return false;
        }
    }

    /**
     * Queues received files for a publisher, as one task (a group of small files wakes one
     * thread, not one each); each file's permit comes back once it is closed or failed.
     */
    private void handOver(Publishing out, List<Transferer.Received> received) {
        out.futures().add(out.publisher().submit(() -> {
            for (Transferer.Received r : received) {
                seal(out, r);
            }
        }));
    }

    /**
     * Closes a received file and gives back its permit, then publishes it at once (after an
     * fdatasync) or, if it is small, queues it for its batch's sync.
     */
    private void seal(Publishing out, Transferer.Received received) {
        tally.received(received.bytes());
        boolean batched = out.batches().isPresent() && received.size() < BatchSync.MAX_FILE_SIZE
                && received.stagingDirectory().isPresent();
        try {
            out.transferer().seal(received, !batched);
        } catch (Transferer.FileFailedException e) {
            tally.fail(e.error());
            return;
        } catch (LakeException e) {
            tally.stopOn(e);
            return;
        } finally {
            out.openFiles().release(); // closed, or failed and cleaned up
        }
        try {
            if (batched) {
                out.batches().get().add(new Sealed(out, received));
            } else {
                publish(out, received);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.cancel(); // the file stays behind as a partial for the next run
        }
    }

    /** A closed file waiting for its batch's sync. */
    private final class Sealed implements BatchSync.Waiting {
        private final Publishing out;
        private final Transferer.Received received;

        Sealed(Publishing out, Transferer.Received received) {
            this.out = out;
            this.received = received;
        }

        @Override
        public Path directory() {
            return received.stagingDirectory().orElseThrow();
        }

        @Override
        public void durable() {
            publish(out, received);
        }

        @Override
        public void notDurable(IOException e) {
            try {
                tally.fail(out.transferer().notDurable(received, e).error());
            } catch (LakeException l) {
                tally.stopOn(l);
            }
        }
    }

    /** Renames a durable file into place and counts it. */
    private void publish(Publishing out, Transferer.Received received) {
        try {
            tally.published(out.transferer().publish(received), received.targetDirectory());
        } catch (Transferer.FileFailedException e) {
            tally.fail(e.error());
        } catch (LakeException e) {
            tally.stopOn(e);
        }
    }

    /** Waits a little for {@code s} to end, as a run winds down. */
    static void awaitQuietly(ExecutorService s) {
        try {
            s.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
