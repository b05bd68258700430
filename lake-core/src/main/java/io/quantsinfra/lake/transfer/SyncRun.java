package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.durability.FileSystemSync;
import io.quantsinfra.lake.plan.DeletionGuard;
import io.quantsinfra.lake.plan.Planner;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.retention.Cleanup;
import io.quantsinfra.lake.retention.LakeStats;
import io.quantsinfra.lake.state.CheckpointStore;
import io.quantsinfra.lake.state.ProfileLock;
import io.quantsinfra.lake.state.RowCache;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One sync of one profile, from lock to final checkpoint: list both trees, plan, check free
 * space, transfer in parallel, delete when it is safe, and record the outcome.
 */
public final class SyncRun {
    /** How often the partial downloads are written to the checkpoint while a run goes on. */
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final Path lockFile;
    private final Profile profile;
    private final SyncOptions options;
    private final SyncListener listener;
    private final Clock clock;
    private final LakeStore lake;
    private final RemoteConnector connector;
    private final CheckpointStore checkpoints;
    private final Retention retention;
    private final RunThreads threads;
    private final ListAndPlan planning;
    /** Whether the checkpoint records what the local lake holds at the end, for the metrics file. */
    private final boolean measureLocalLake;
    private final Supplier<Optional<FileSystemSync>> fileSystemSync;
    private final Duration checkpointInterval;
    /** Raised when the user cancels or a fatal error stops the run. */
    private final Cancellation stop = new Cancellation();
    private final Set<String> connectionWarnings = ConcurrentHashMap.newKeySet();
    /** The thread that called {@link #run}: an interrupt of it cancels the run, as an embedder's Future.cancel(true) means. */
    private Thread caller;
    /** Whether the caller was interrupted; its interrupt is given back when {@link #run} returns. */
    private volatile boolean callerInterrupted;

    /**
     * @param lockFile         the profile's lock file, shared with cleanup
     * @param connector        opens the remote file system, for the run and each reconnect
     * @param lake             the profile's part of the lake, written only through it
     * @param workers          the worker threads this run shares with the lake's other runs
     * @param measureLocalLake whether to record the local lake's files and bytes in the checkpoint
     */
    public SyncRun(Path lockFile, Profile profile, RemoteConnector connector, LakeStore lake, WorkerPool workers,
                   SyncOptions options, SyncListener listener, boolean measureLocalLake) {
        this(lockFile, profile, connector, lake, workers, options, listener, measureLocalLake, FileSystemSync::open,
                CHECKPOINT_INTERVAL);
    }

    /**
     * @param fileSystemSync     how received files are made durable: in batches through syncfs, or,
     *                           when it supplies nothing, with an fdatasync per file
     * @param checkpointInterval how often the partial downloads are written to the checkpoint
     */
    SyncRun(Path lockFile, Profile profile, RemoteConnector connector, LakeStore lake, WorkerPool workers,
            SyncOptions options, SyncListener listener, boolean measureLocalLake,
            Supplier<Optional<FileSystemSync>> fileSystemSync, Duration checkpointInterval) {
        this.fileSystemSync = fileSystemSync;
        this.checkpointInterval = checkpointInterval;
        this.connector = connector;
        this.lockFile = lockFile;
        this.profile = profile;
        this.options = options;
        this.listener = listener;
        this.clock = options.clock();
        this.lake = lake;
        this.checkpoints = new CheckpointStore(profile.checkpointFile(), profile.name(), clock);
        this.retention = new Retention(profile.retentionDays(), profile.timezone(), clock);
        this.threads = new RunThreads(profile, workers);
        this.planning = new ListAndPlan(profile, lake, retention, listener, clock);
        this.measureLocalLake = measureLocalLake;
    }

    /**
     * Runs the sync; fatal failures are recorded in the checkpoint, then thrown. An interrupt of
     * the calling thread stops it as a cancellation does: the run ends {@code interrupted}, with
     * its checkpoint and partial files recorded, and the thread's interrupt is set again when it returns.
     */
    public SyncReport run() {
        caller = Thread.currentThread();
        try {
            return options.dryRun() ? dryRun() : realRun();
        } finally {
            if (callerInterrupted) {
                caller.interrupt();
            }
        }
    }

    /**
     * Takes the caller's interrupt as a cancellation, and clears it so that the checkpoint can
     * still be written: a file channel closes itself on an interrupted thread. Called on the
     * caller's thread before it writes.
     */
    private void absorbInterrupt() {
        if (Thread.currentThread() == caller && Thread.interrupted()) {
            callerInterrupted = true;
            stop.cancel();
        }
    }

    /** Lists and plans, changing nothing: no directories, no checkpoint, no lock. */
    private SyncReport dryRun() {
        Instant start = clock.instant();
        CheckpointStore.Loaded loaded = checkpoints.peek();
        loaded.warning().ifPresent(listener::warning);
        Checkpoint previous = loaded.checkpoint();
        listener.started(previous);
        ExecutorService pool = null;
        try (RemoteSession session = checkedSession(this::connect)) {
            pool = threads.transferPool(session.roundTrip());
            SyncPlan plan = announced(planning.plan(session, previous, pool));
            Optional<CleanupReport> cleanup = options.cleanup()
                    ? Optional.of(Cleanup.run(profile.name(), lake, retention, true)) : Optional.empty();
            return new SyncReport(profile.name(), Checkpoint.Status.SUCCESS, true, previous, plan, 0, 0, 0, 0,
                    Duration.between(start, clock.instant()), List.of(), plan.deletionBlocked(), 0, cleanup, List.of());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Hands the plan to the listener, without its links where the lake cannot hold them (an
     * object store): those are skipped with one warning, as rclone does, in a dry run as in a run.
     */
    private SyncPlan announced(SyncPlan plan) {
        SyncPlan held = plan;
        if (!lake.holdsLinks() && !plan.links().isEmpty()) {
            listener.warning("skipped " + plan.links().size() + " symlink(s), e.g. " + plan.links().get(0).path() + ": "
                    + lake.location() + " cannot hold links");
            held = plan.withoutLinks();
        }
        listener.planned(held);
        return held;
    }

    private SyncReport realRun() {
        absorbInterrupt(); // the lock file's channel would close itself on an interrupted thread
        Instant start = clock.instant();
        try (EarlyConnection connection = new EarlyConnection(this::connect, threads.factory("connect"));
             ProfileLock lock = ProfileLock.acquire(lockFile, profile.name(), clock);
             LakeStore.Claim claim = lake.claim(clock)) {
            CheckpointStore.Loaded loaded = checkpoints.load();
            loaded.warning().ifPresent(listener::warning);
            Checkpoint previous = loaded.checkpoint();
            listener.started(previous);
            Checkpoint running = previous.started(start);
            checkpoints.save(running);
            return new Execution(previous, running, start, connection).execute();
        }
    }

    /**
     * A new connection to the profile's source. Its warnings (a key file others may read) are
     * heard once per run, not again at each reconnect.
     */
    private RemoteFs connect() {
        return connector.connect(profile, options.env(), warning -> {
            if (connectionWarnings.add(warning)) {
                listener.warning(warning);
            }
        });
    }

    /**
     * The run's session, once the profile directory is known not to pass through a symlink: the
     * local check needs no connection, so it comes before waiting for one.
     */
    private RemoteSession checkedSession(Supplier<RemoteFs> connections) {
        lake.requireSafeRoot();
        return session(connections);
    }

    /** The run's session over {@code connections}: the first one, then one per reconnect. */
    private RemoteSession session(Supplier<RemoteFs> connections) {
        return new RemoteSession(connections, profile.reconnectAttempts(), options.reconnectBackoff(), listener,
                options.cancellation());
    }

    /** The state of one real run. */
    private final class Execution implements TransferScheduler.Tally {
        private final Checkpoint previous;
        private final Instant start;
        private final Supplier<RemoteFs> connections;
        private final AtomicReference<Checkpoint> running;
        private final InFlight inFlight = new InFlight();
        private final List<PathError> errors = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong files = new AtomicLong();
        private final AtomicLong resumed = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final Set<Path> touchedDirs = ConcurrentHashMap.newKeySet();
        /**
         * The syncfs caller, loaded from the start of the run on a thread of its own: loading
         * JNA's native part would otherwise delay the first transfer.
         * Not asked for with --fsync, where each file is synced on its own.
         */
        private final CompletableFuture<Optional<FileSystemSync>> loadingSync;
        /** The syncfs caller of the transfer, also used for the renames at the end; empty if none. */
        private Optional<FileSystemSync> fsSync = Optional.empty();
        private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
        private final ParquetOutcomes parts;
        private final TreeChanges local = new TreeChanges(profile, lake, listener, this::fail);

        Execution(Checkpoint previous, Checkpoint running, Instant start, Supplier<RemoteFs> connections) {
            this.previous = previous;
            this.running = new AtomicReference<>(running);
            this.start = start;
            this.connections = connections;
            this.parts = new ParquetOutcomes(profile, previous, listener);
            this.loadingSync = profile.rsync().fsync() ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.supplyAsync(fileSystemSync, r -> threads.factory("sync").newThread(r).start());
        }

        SyncReport execute() {
            ExecutorService pool = null;
            ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(threads.factory("checkpoint"));
            SyncPlan plan = null;
            try (RemoteSession session = checkedSession(connections)) {
                pool = threads.transferPool(session.roundTrip());
                plan = announced(planning.plan(session, previous, pool));
                local.requireSpace(plan, options.diskSpace());
                flusher.scheduleWithFixedDelay(this::flush, checkpointInterval.toMillis(), checkpointInterval.toMillis(),
                        TimeUnit.MILLISECONDS);
                local.createDirectories(plan);
                if (!plan.transfers().isEmpty()) {
                    fsSync = loadingSync.join();
                    new TransferScheduler(profile, lake, listener, inFlight, this, threads)
                            .run(plan, session, pool, fsSync);
                }
                absorbInterrupt();
                flusher.shutdown(); // not shutdownNow: an interrupt would cut a checkpoint write short
                TransferScheduler.awaitQuietly(flusher);
                if (fatal.get() != null) {
                    throw fatal.get();
                }
                local.createLinks(plan);
                long deleted = 0;
                Optional<String> blocked = plan.deletionBlocked();
                if (!plan.deletions().isEmpty() && blocked.isEmpty()) {
                    blocked = DeletionGuard.afterTransfers(stopped(), errors.size());
                    if (blocked.isEmpty()) {
                        deleted = local.delete(plan);
                    }
                }
                absorbInterrupt();
                local.setDirectoryTimes(plan);
                local.makeDurable(fsSync, touchedDirs);
                Checkpoint.Status status = stopped() ? Checkpoint.Status.INTERRUPTED
                        : !errors.isEmpty() || !plan.errors().isEmpty() || blocked.isPresent() && !plan.deletions().isEmpty()
                        ? Checkpoint.Status.PARTIAL : Checkpoint.Status.SUCCESS;
                List<PathError> allErrors = new ArrayList<>(plan.errors());
                allErrors.addAll(errors);
                Instant end = clock.instant();
                List<Checkpoint.Partial> kept = partialsToKeep(plan);
                if (status != Checkpoint.Status.INTERRUPTED) {
                    dropStagedExcept(kept);
                }
                List<Checkpoint.HeldBack> held = parts.heldBackAfter(end, status == Checkpoint.Status.INTERRUPTED);
                parts.warnAboutStaleParts(held, end);
                Checkpoint finished = running.get().finished(status, end, files.get(), bytes.get(), deleted, allErrors, kept)
                        .withHeldBack(held);
                Optional<CleanupReport> cleanup = Optional.empty();
                if (options.cleanup() && status != Checkpoint.Status.INTERRUPTED) {
                    CleanupReport c = Cleanup.run(profile.name(), lake, retention, false);
                    finished = finished.cleanedUp(clock.instant(), c.expired().size(), c.bytesFreed());
                    cleanup = Optional.of(c);
                }
                if (measureLocalLake) { // the count reads the row cache anyway: it saves the new rows with its own
                    RowCache rows = LakeStats.rowCache(profile);
                    parts.addRowsTo(rows);
                    finished = LakeStats.withLocalLake(finished, profile, lake, rows, listener);
                } else {
                    parts.recordRows();
                }
                checkpoints.save(finished);
                return new SyncReport(profile.name(), status, false, previous, plan, files.get(), resumed.get(), bytes.get(),
                        deleted, Duration.between(start, end), allErrors, blocked, session.reconnects(), cleanup, held);
            } catch (RuntimeException e) {
                absorbInterrupt();
                boolean interrupted = callerInterrupted; // what failed was cut short by the interrupt
                stop.cancel();
                flusher.shutdown();
                TransferScheduler.awaitQuietly(flusher);
                List<PathError> allErrors = new ArrayList<>(errors);
                allErrors.add(new PathError("", e instanceof LakeException ? e.getMessage() : "internal error: " + e));
                try {
                    checkpoints.save(running.get().finished(interrupted ? Checkpoint.Status.INTERRUPTED : Checkpoint.Status.FAILED,
                            clock.instant(), files.get(), bytes.get(), 0,
                            allErrors, plan == null ? previous.partials() : partialsToKeep(plan)));
                } catch (LakeException unsaved) {
                    // e.g. the disk is full: the checkpoint keeps saying "running", which the next run reports as incomplete
                    e.addSuppressed(unsaved);
                    listener.warning("the checkpoint could not record this failure: " + unsaved.getMessage());
                }
                throw e;
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
                flusher.shutdownNow();
                fsSync.ifPresent(FileSystemSync::close);
            }
        }

        @Override
        public boolean stopped() {
            if (options.cancellation().isCancelled() || caller.isInterrupted()) {
                stop.cancel();
            }
            return stop.isCancelled();
        }

        @Override
        public void cancel() {
            if (Thread.currentThread() == caller) {
                callerInterrupted = true; // the caller's wait was interrupted: the flag is cleared, remember it
            }
            stop.cancel();
        }

        @Override
        public void stopOn(RuntimeException e) {
            fatal.compareAndSet(null, e);
            stop.cancel();
        }

        @Override
        public void fail(PathError error) {
            errors.add(error);
            listener.fileFailed(error);
        }

        @Override
        public void received(long n) {
            bytes.addAndGet(n);
        }

        @Override
        public void published(Transferer.Outcome outcome, Optional<Path> directory) {
            files.incrementAndGet();
            if (outcome.resumed()) {
                resumed.incrementAndGet();
            }
            directory.ifPresent(touchedDirs::add);
            parts.published(outcome);
        }

        @Override
        public void heldBack(HeldBackException e) {
            parts.heldBack(e);
        }

        /** Saves the partial downloads while the run goes on, so that even kill -9 leaves them resumable. */
        private void flush() {
            InFlight.Snapshot s = inFlight.snapshot();
            if (s.changed()) {
                try {
                    List<Checkpoint.Partial> merged = new ArrayList<>(s.partials());
                    Checkpoint next = running.get().withPartials(merged);
                    checkpoints.save(next);
                    running.set(next);
                } catch (LakeException e) {
                    listener.warning("cannot update the checkpoint: " + e.getMessage());
                }
            }
        }

        /** Drops staged data no partial of the checkpoint stands for; what cannot be dropped stays, with a warning. */
        private void dropStagedExcept(List<Checkpoint.Partial> kept) {
            try {
                lake.dropStagedExcept(kept.stream().map(Checkpoint.Partial::path).collect(Collectors.toSet()));
            } catch (IOException | LakeException e) {
                listener.warning("cannot drop staged data no run will resume in " + lake.location() + ": " + e.getMessage());
            }
        }

        /**
         * The partials worth recording: those this run left behind, plus earlier ones this run did
         * not touch whose data is still on disk. Files read whole, which are never resumed, leave
         * none: their staging files are removed here.
         */
        private List<Checkpoint.Partial> partialsToKeep(SyncPlan plan) {
            List<Checkpoint.Partial> keep = new ArrayList<>();
            for (Checkpoint.Partial p : inFlight.snapshot().partials()) {
                if (Planner.resumable(p.remoteSize())) {
                    keep.add(p);
                } else {
                    try {
                        lake.discardStaged(p.path());
                    } catch (IOException e) {
                        listener.warning("cannot remove the partial file " + lake.stagedLocation(p.path()) + ": " + e.getMessage());
                    }
                }
            }
            Set<String> earlier = previous.partials().stream().map(Checkpoint.Partial::path).collect(Collectors.toSet());
            Set<String> planned = plan.transfers().stream().map(SyncPlan.Transfer::path).filter(earlier::contains)
                    .collect(Collectors.toSet());
            for (Checkpoint.Partial p : previous.partials()) {
                if (!planned.contains(p.path()) && lake.isStaged(p.path())) {
                    keep.add(p);
                }
            }
            return keep;
        }
    }

}
