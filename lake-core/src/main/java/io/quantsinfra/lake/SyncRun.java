package io.quantsinfra.lake;

import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.durability.BatchSync;
import io.quantsinfra.lake.durability.FileSystemSync;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Planner;
import io.quantsinfra.lake.plan.RemoteListing;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.retention.Cleanup;
import io.quantsinfra.lake.retention.LakeStats;
import io.quantsinfra.lake.retention.Retention;
import io.quantsinfra.lake.state.CheckpointStore;
import io.quantsinfra.lake.state.ProfileLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One sync of one profile, from lock to final checkpoint: list both trees, plan, check free
 * space, transfer in parallel, delete when it is safe, and record the outcome.
 */
final class SyncRun {
    /** How often the partial downloads are written to the checkpoint while a run goes on. */
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /** Below this round trip a link counts as fast (loopback, LAN). */
    private static final Duration FAST_LINK = Duration.ofMillis(5);
    private static final int FAST_LINK_FILES = 16;
    private static final int SLOW_LINK_FILES = 256;
    /** Threads that close received files (and, without batches, make them durable and publish them). */
    private static final int PUBLISHERS = 64;
    /** Received files not yet closed, each holding an open file: bounds file descriptors. */
    private static final int MAX_OPEN_FILES = 1024;
    /**
     * Files read whole, asked for and not yet written to their staging files: their bytes wait in
     * memory meanwhile (small ones, under 32 KiB each, in heap arrays: at most 64 MiB; larger ones
     * in the READ budget's buffers). Small files' local files are opened, under
     * {@link #MAX_OPEN_FILES}, only once the bytes are here: holding those permits through the two
     * round trips too let SMALL at 40 ms start only about ten groups per round trip.
     */
    private static final int MAX_SMALL_IN_FLIGHT = 2048;
    /** Files read whole in one remote call at most (see {@link Transferer#fetchWhole}). */
    private static final int WHOLE_GROUP = 32;
    /**
     * Bytes read whole in one remote call at most: with the READ budget of 32 MiB, eight such
     * calls at once. LAKE's quarter-MiB files go 16 at a time: than one worker per file, on
     * loopback ~7 % faster on tmpfs and ~4 % on disk with ~15 % less CPU, at 40 ms ~10 % faster.
     */
    private static final long WHOLE_GROUP_BYTES = 4 * 1024 * 1024;
    /** Workers only shuffle buffers; a small stack keeps 256 of them cheap. */
    private static final long WORKER_STACK = 256 * 1024;

    private final Path lockFile;
    private final Profile profile;
    private final SyncOptions options;
    private final SyncListener listener;
    private final Clock clock;
    private final LocalLayout layout;
    private final PathFilter filter;
    private final RemoteConnector connector;
    /** {@code user@host:port}, as messages name the source. */
    private final String where;
    private final CheckpointStore store;
    private final Retention retention;
    /** Whether the checkpoint records what the local lake holds at the end, for the metrics file. */
    private final boolean measureLocalLake;
    private final Supplier<Optional<FileSystemSync>> fileSystemSync;
    /** Raised when the user cancels or a fatal error stops the run. */
    private final Cancellation stop = new Cancellation();

    /**
     * @param lockFile         the profile's lock file, shared with cleanup
     * @param connector        opens the remote file system, for the run and each reconnect
     * @param measureLocalLake whether to record the local lake's files and bytes in the checkpoint
     */
    SyncRun(Path lockFile, Profile profile, RemoteConnector connector, SyncOptions options, SyncListener listener,
            boolean measureLocalLake) {
        this(lockFile, profile, connector, options, listener, measureLocalLake, FileSystemSync::open);
    }

    /**
     * @param fileSystemSync how received files are made durable: in batches through syncfs, or,
     *                       when it supplies nothing, with an fdatasync per file
     */
    SyncRun(Path lockFile, Profile profile, RemoteConnector connector, SyncOptions options, SyncListener listener,
            boolean measureLocalLake, Supplier<Optional<FileSystemSync>> fileSystemSync) {
        this.fileSystemSync = fileSystemSync;
        this.connector = connector;
        this.lockFile = lockFile;
        this.profile = profile;
        this.options = options;
        this.listener = listener;
        this.clock = options.clock();
        this.layout = new LocalLayout(profile);
        this.filter = profile.rsync().filter();
        this.where = profile.source().where();
        this.store = new CheckpointStore(profile.checkpointFile(), profile.name(), clock);
        this.retention = new Retention(profile.retentionDays(), profile.timezone(), clock);
        this.measureLocalLake = measureLocalLake;
    }

    /** Runs the sync; fatal failures are recorded in the checkpoint, then thrown. */
    SyncReport run() {
        return options.dryRun() ? dryRun() : realRun();
    }

    /** Lists and plans, changing nothing: no directories, no checkpoint, no lock. */
    private SyncReport dryRun() {
        Instant start = clock.instant();
        CheckpointStore.Loaded loaded = store.peek();
        loaded.warning().ifPresent(listener::warning);
        Checkpoint previous = loaded.checkpoint();
        listener.started(previous);
        ExecutorService pool = null;
        try (RemoteSession session = checkedSession(this::connect)) {
            pool = pool(parallelism(session.roundTrip()));
            SyncPlan plan = plan(session, previous, pool);
            listener.planned(plan);
            Optional<CleanupReport> cleanup = options.cleanup()
                    ? Optional.of(Cleanup.run(profile.name(), layout.root(), retention, true)) : Optional.empty();
            return new SyncReport(profile.name(), Checkpoint.Status.SUCCESS, true, previous, plan, 0, 0, 0, 0,
                    Duration.between(start, clock.instant()), List.of(), plan.deletionBlocked(), 0, cleanup);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private SyncReport realRun() {
        Instant start = clock.instant();
        try (EarlyConnection connection = new EarlyConnection(this::connect, threads("connect"));
             ProfileLock lock = ProfileLock.acquire(lockFile, profile.name(), clock)) {
            CheckpointStore.Loaded loaded = store.load();
            loaded.warning().ifPresent(listener::warning);
            Checkpoint previous = loaded.checkpoint();
            listener.started(previous);
            Checkpoint running = previous.started(start);
            store.save(running);
            return new Execution(previous, running, start, connection).execute();
        }
    }

    /**
     * How many files are in flight: the profile's {@code parallel_files}, or by default enough to
     * hide the round trip. On a fast link more threads only compete for the CPU; at latency each
     * file spends two round trips waiting, so many must overlap.
     */
    private int parallelism(Duration roundTrip) {
        if (profile.parallelFiles() > 0) {
            return profile.parallelFiles();
        }
        return roundTrip.compareTo(FAST_LINK) < 0 ? FAST_LINK_FILES : SLOW_LINK_FILES;
    }

    private ExecutorService pool(int size) {
        return pool(size, "transfer");
    }

    private ExecutorService pool(int size, String role) {
        return Executors.newFixedThreadPool(size, threads(role));
    }

    /** Daemon threads named after the profile and their role, with small stacks. */
    private ThreadFactory threads(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, "lake-" + profile.name() + "-" + role + "-" + n.incrementAndGet(), WORKER_STACK);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Says why remote_root could not be listed when it is missing or not a directory; asked
     * only after its listing failed, so that a run spends no round trip on it.
     *
     * @throws LakeException of kind CONNECTION when it is missing or not a directory
     */
    private void requireRootDirectory(RemoteSession session) {
        String root = profile.source().remoteRoot();
        RemoteFs.Item rootItem;
        try {
            rootItem = session.call(fs -> fs.stat(root));
        } catch (NoSuchFileException e) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "remote_root " + root
                    + " does not exist on " + where, "check source.remote_root (and that the collector's disk is mounted)", e);
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "cannot read remote_root " + root
                    + " on " + where + ": " + e.getMessage(), "check that " + profile.source().user()
                    + " may read " + root, e);
        }
        if (rootItem.type() != EntryType.DIRECTORY) {
            throw new LakeException(LakeException.Kind.CONNECTION, where, "remote_root " + root
                    + " on " + where + " is not a directory", "set source.remote_root to the data directory");
        }
    }

    /** A new connection to the profile's source. */
    private RemoteFs connect() {
        return connector.connect(profile, options.env());
    }

    /**
     * The run's session, once the profile directory is known not to pass through a symlink: the
     * local check needs no connection, so it comes before waiting for one.
     */
    private RemoteSession checkedSession(Supplier<RemoteFs> connections) {
        layout.requireRealDirectories();
        return session(connections);
    }

    /** The run's session over {@code connections}: the first one, then one per reconnect. */
    private RemoteSession session(Supplier<RemoteFs> connections) {
        return new RemoteSession(connections, profile.reconnectAttempts(), options.reconnectBackoff(), listener,
                options.cancellation());
    }

    private SyncPlan plan(RemoteSession session, Checkpoint previous, ExecutorService pool) {
        String root = profile.source().remoteRoot();
        RemoteTree tree = new RemoteTree(session, root, filter, profile.rsync().recursive(), profile.rsync().symlinks(),
                retention, pool, listener::warning);
        RemoteListing remote;
        try {
            remote = tree.list();
        } catch (IOException e) {
            requireRootDirectory(session);
            throw new LakeException(LakeException.Kind.CONNECTION, where, "cannot list remote_root " + root
                    + " on " + where + ": " + e.getMessage(), "check that " + profile.source().user()
                    + " may read " + root, e);
        }
        LocalListing local;
        try {
            local = LocalTree.list(layout, filter, retention);
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, layout.root().toString(), "cannot list " + layout.root()
                    + ": " + e.getMessage(), "check that the lake directory is readable by this user", e);
        }
        Map<String, Checkpoint.Partial> partials = previous.partials().stream()
                .collect(Collectors.toMap(Checkpoint.Partial::path, Function.identity(), (a, b) -> b));
        return new Planner(profile, retention, clock.instant()).plan(remote, local, partials);
    }

    /** The state of one real run. */
    private final class Execution {
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
         * The syncfs caller, loaded from the start of the run on a thread of its own: JNA takes
         * ~25 ms to load its native part, which would otherwise delay the first transfer.
         * Not asked for with --fsync, where each file is synced on its own.
         */
        private final CompletableFuture<Optional<FileSystemSync>> loadingSync;
        /** The syncfs caller of the transfer, also used for the renames at the end; empty if none. */
        private Optional<FileSystemSync> fsSync = Optional.empty();
        private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();

        Execution(Checkpoint previous, Checkpoint running, Instant start, Supplier<RemoteFs> connections) {
            this.previous = previous;
            this.running = new AtomicReference<>(running);
            this.start = start;
            this.connections = connections;
            this.loadingSync = profile.rsync().fsync() ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.supplyAsync(fileSystemSync, r -> threads("sync").newThread(r).start());
        }

        SyncReport execute() {
            ExecutorService pool = null;
            ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lake-" + profile.name() + "-checkpoint");
                t.setDaemon(true);
                return t;
            });
            SyncPlan plan = null;
            try (RemoteSession session = checkedSession(connections)) {
                pool = pool(parallelism(session.roundTrip()));
                plan = plan(session, previous, pool);
                listener.planned(plan);
                checkSpace(plan);
                flusher.scheduleWithFixedDelay(this::flush, CHECKPOINT_INTERVAL.toMillis(), CHECKPOINT_INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
                createDirectories(plan);
                transfer(plan, session, pool);
                flusher.shutdownNow();
                awaitQuietly(flusher);
                if (fatal.get() != null) {
                    throw fatal.get();
                }
                createLinks(plan);
                long deleted = 0;
                Optional<String> blocked = plan.deletionBlocked();
                if (!plan.deletions().isEmpty() && blocked.isEmpty()) {
                    if (stopped()) {
                        blocked = Optional.of("the run was interrupted; nothing is deleted");
                    } else if (!errors.isEmpty()) {
                        blocked = Optional.of(errors.size() + (errors.size() == 1 ? " file" : " files")
                                + " failed; nothing is deleted after errors");
                    } else {
                        deleted = delete(plan);
                    }
                }
                setDirectoryTimes(plan);
                syncDirectories();
                Checkpoint.Status status = stopped() ? Checkpoint.Status.INTERRUPTED
                        : !errors.isEmpty() || !plan.errors().isEmpty() || blocked.isPresent() && !plan.deletions().isEmpty()
                        ? Checkpoint.Status.PARTIAL : Checkpoint.Status.SUCCESS;
                List<PathError> allErrors = new ArrayList<>(plan.errors());
                allErrors.addAll(errors);
                Instant end = clock.instant();
                Checkpoint finished = running.get().finished(status, end, files.get(), bytes.get(), deleted, allErrors,
                        partialsToKeep(plan));
                Optional<CleanupReport> cleanup = Optional.empty();
                if (options.cleanup() && status != Checkpoint.Status.INTERRUPTED) {
                    CleanupReport c = Cleanup.run(profile.name(), layout.root(), retention, false);
                    finished = finished.cleanedUp(clock.instant(), c.expired().size(), c.bytesFreed());
                    cleanup = Optional.of(c);
                }
                if (measureLocalLake) {
                    finished = LakeStats.withLocalLake(finished, profile, retention, listener);
                }
                store.save(finished);
                return new SyncReport(profile.name(), status, false, previous, plan, files.get(), resumed.get(), bytes.get(),
                        deleted, Duration.between(start, end), allErrors, blocked, session.reconnects(), cleanup);
            } catch (RuntimeException e) {
                stop.cancel();
                flusher.shutdownNow();
                awaitQuietly(flusher);
                List<PathError> allErrors = new ArrayList<>(errors);
                allErrors.add(new PathError("", e instanceof LakeException ? e.getMessage() : "internal error: " + e));
                try {
                    store.save(running.get().finished(Checkpoint.Status.FAILED, clock.instant(), files.get(), bytes.get(), 0,
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

        /**
         * Refuses to start when the bytes to write do not fit, before anything is written. Bytes
         * already in staging files are not counted again: they are resumed, or truncated before
         * the file is fetched anew, so a run stopped by a full disk never blocks the next one.
         */
        private void checkSpace(SyncPlan plan) {
            long need = plan.bytesToWrite();
            if (need == 0) {
                return;
            }
            long usable;
            try {
                usable = options.diskSpace().usableBytes(layout.root());
            } catch (IOException e) {
                listener.warning("cannot measure free space under " + layout.root() + ": " + e.getMessage());
                return;
            }
            long have = Math.max(0, usable - profile.diskReserveBytes());
            if (need > have) {
                throw new LakeException(LakeException.Kind.LOCAL_IO, layout.root().toString(),
                        "not enough disk space: need " + Units.bytes(need) + ", have " + Units.bytes(have) + " on "
                                + layout.root() + " (keeping disk_reserve_mb " + Units.bytes(profile.diskReserveBytes())
                                + " free); nothing was transferred",
                        "free space, or lower retention_days so cleanup removes more");
            }
        }

        private void createDirectories(SyncPlan plan) {
            for (String dir : plan.directoriesToCreate()) {
                Path path = layout.target(dir);
                try {
                    layout.ensureDirectory(path);
                } catch (IOException e) {
                    Optional<LakeException> stop = LocalStorageErrors.stopping(e, layout.root(), "creating the directory " + path);
                    if (stop.isPresent()) {
                        throw stop.get();
                    }
                    fail(new PathError(dir, "cannot create directory " + path + ": " + e.getMessage()));
                }
            }
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

        private void transfer(SyncPlan plan, RemoteSession session, ExecutorService pool) {
            if (plan.transfers().isEmpty()) {
                return;
            }
            ExecutorService publisher = SyncRun.this.pool(PUBLISHERS, "publish");
            fsSync = loadingSync.join();
            Publishing out = new Publishing(new Transferer(session, profile.source().remoteRoot(), layout, profile.rsync(),
                    listener, this::stopped, inFlight, publisher), publisher, new Semaphore(MAX_OPEN_FILES),
                    new Semaphore(MAX_SMALL_IN_FLIGHT), Collections.synchronizedList(new ArrayList<>()),
                    fsSync.map(f -> new BatchSync(f::sync, threads("sync"))));
            List<SyncPlan.Transfer> small = new ArrayList<>();
            for (SyncPlan.Transfer t : plan.transfers()) {
                if (out.transferer().readsWhole(t)) {
                    small.add(t);
                } else {
                    out.futures().add(pool.submit(() -> transferOne(out, t)));
                }
            }
            for (List<SyncPlan.Transfer> ts : wholeGroups(small)) {
                out.futures().add(pool.submit(() -> transferWhole(out, ts)));
            }
            try {
                awaitAll(out.futures());
            } finally {
                try {
                    if (out.batches().isPresent()) {
                        out.batches().get().finish();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.cancel();
                } catch (RuntimeException e) {
                    stopOn(e); // a bug in publishing: stop the run and let it surface
                } finally {
                    publisher.shutdownNow();
                    awaitQuietly(publisher); // no file is sealed or renamed once the run sums up
                }
            }
        }

        private void awaitAll(List<Future<?>> futures) {
            for (int i = 0; i < futures.size(); i++) {
                Future<?> f = futures.get(i);
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.cancel();
                } catch (ExecutionException e) {
                    // a bug in a worker: stop the run and let it surface as what it is
                    stopOn(e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
                }
            }
        }

        /** Whether the user cancelled or a fatal error stopped the run. */
        private boolean stopped() {
            if (options.cancellation().isCancelled()) {
                stop.cancel();
            }
            return stop.isCancelled();
        }

        private void transferOne(Publishing out, SyncPlan.Transfer t) {
            if (stopped() || !acquire(out.openFiles(), 1)) {
                return;
            }
            boolean handedOver = false;
            try {
                handOver(out, List.of(out.transferer().receive(t)));
                handedOver = true;
            } catch (Transferer.FileFailedException e) {
                bytes.addAndGet(e.bytesTransferred());
                fail(e.error());
            } catch (InterruptedIOException e) {
                stop.cancel();
            } catch (LakeException e) {
                stopOn(e);
            } finally {
                if (!handedOver) {
                    out.openFiles().release();
                }
            }
        }

        /** Files to read whole, cut into calls of at most {@link #WHOLE_GROUP} files and {@link #WHOLE_GROUP_BYTES}. */
        private static List<List<SyncPlan.Transfer>> wholeGroups(List<SyncPlan.Transfer> files) {
            List<List<SyncPlan.Transfer>> groups = new ArrayList<>();
            List<SyncPlan.Transfer> group = new ArrayList<>();
            long bytes = 0;
            for (SyncPlan.Transfer t : files) {
                if (!group.isEmpty() && (group.size() == WHOLE_GROUP || bytes + t.size() > WHOLE_GROUP_BYTES)) {
                    groups.add(List.copyOf(group));
                    group.clear();
                    bytes = 0;
                }
                group.add(t);
                bytes += t.size();
            }
            if (!group.isEmpty()) {
                groups.add(List.copyOf(group));
            }
            return groups;
        }

        /**
         * Like {@link #transferOne}, for files read whole together. Small files take their
         * open-file permits once their bytes are here; larger ones before they ask, since their
         * bytes hold the READ budget until written, and a worker that holds budget must not wait
         * for permits that workers waiting for budget hold.
         */
        private void transferWhole(Publishing out, List<SyncPlan.Transfer> ts) {
            if (stopped() || !acquire(out.smallInFlight(), ts.size())) {
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
                        fail(a.failure().error());
                    } else {
                        received.add(a.received());
                    }
                }
            } catch (InterruptedIOException e) {
                stop.cancel();
            } catch (LakeException e) {
                stopOn(e);
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
                stop.cancel();
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
            bytes.addAndGet(received.bytes());
            boolean batched = out.batches().isPresent() && received.size() < BatchSync.MAX_FILE_SIZE;
            try {
                out.transferer().seal(received, !batched);
            } catch (Transferer.FileFailedException e) {
                fail(e.error());
                return;
            } catch (LakeException e) {
                stopOn(e);
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
                stop.cancel(); // the file stays behind as a partial for the next run
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
                return received.stagingDirectory();
            }

            @Override
            public void durable() {
                publish(out, received);
            }

            @Override
            public void notDurable(IOException e) {
                try {
                    fail(out.transferer().notDurable(received, e).error());
                } catch (LakeException l) {
                    stopOn(l);
                }
            }
        }

        /** Renames a durable file into place and counts it. */
        private void publish(Publishing out, Transferer.Received received) {
            try {
                Transferer.Outcome o = out.transferer().publish(received);
                files.incrementAndGet();
                if (o.resumed()) {
                    resumed.incrementAndGet();
                }
                touchedDirs.add(received.targetDirectory());
            } catch (Transferer.FileFailedException e) {
                fail(e.error());
            } catch (LakeException e) {
                stopOn(e);
            }
        }

        /** Records the error that stops the run (the first one wins) and stops it. */
        private void stopOn(RuntimeException e) {
            fatal.compareAndSet(null, e);
            stop.cancel();
        }

        private void fail(PathError error) {
            errors.add(error);
            listener.fileFailed(error);
        }

        private void createLinks(SyncPlan plan) {
            for (SyncPlan.Link link : plan.links()) {
                Path path = layout.target(link.path());
                try {
                    layout.ensureDirectory(path.getParent());
                    Files.deleteIfExists(path); // an old link or file: deleting never follows a link
                    Files.createSymbolicLink(path, Path.of(link.target()));
                } catch (IOException e) {
                    fail(new PathError(link.path(), "cannot create symlink " + path + ": " + e.getMessage()));
                }
            }
        }

        private long delete(SyncPlan plan) {
            long deleted = 0;
            for (SyncPlan.Deletion d : plan.deletions()) {
                Path path = layout.target(d.path());
                try {
                    if (Files.isSymbolicLink(path.getParent())) {
                        continue; // never delete through a link
                    }
                    Files.deleteIfExists(path);
                    deleted++;
                    listener.deleted(d.path());
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    listener.warning("kept directory " + path + ": it still holds excluded or partial files");
                } catch (IOException e) {
                    fail(new PathError(d.path(), "cannot delete " + path + ": " + e.getMessage()));
                }
            }
            return deleted;
        }

        /** With -t, directories get the remote mtime after their content was written. */
        private void setDirectoryTimes(SyncPlan plan) {
            if (!profile.rsync().preserveTimes()) {
                return;
            }
            for (SyncPlan.Directory dir : plan.directories()) {
                Path path = layout.target(dir.path());
                try {
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond() != dir.mtime()) {
                        Files.setLastModifiedTime(path, FileTime.from(dir.mtime(), TimeUnit.SECONDS));
                    }
                } catch (IOException e) {
                    listener.warning("cannot set the mtime of " + path + ": " + e.getMessage());
                }
            }
        }

        /**
         * Makes the renames of this run durable: one syncfs per file system where the files were
         * synced in batches, or else one fsync per touched directory, not per file.
         */
        private void syncDirectories() {
            if (fsSync.isPresent() && !touchedDirs.isEmpty()) {
                try {
                    fsSync.get().sync(touchedDirs);
                    return;
                } catch (IOException e) {
                    listener.warning("cannot sync the lake's file system (" + e.getMessage()
                            + "); syncing each directory instead");
                }
            }
            for (Path dir : touchedDirs) {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                } catch (IOException e) {
                    // not supported on this platform: the renames are atomic, only their durability is weaker
                }
            }
        }

        /** Saves the partial downloads while the run goes on, so that even kill -9 leaves them resumable. */
        private void flush() {
            InFlight.Snapshot s = inFlight.snapshot();
            if (s.changed()) {
                try {
                    List<Checkpoint.Partial> merged = new ArrayList<>(s.partials());
                    Checkpoint next = running.get().withPartials(merged);
                    store.save(next);
                    running.set(next);
                } catch (LakeException e) {
                    listener.warning("cannot update the checkpoint: " + e.getMessage());
                }
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
                } else if (!layout.inplace()) {
                    try {
                        Files.deleteIfExists(layout.staging(p.path()));
                    } catch (IOException e) {
                        listener.warning("cannot remove the partial file " + layout.staging(p.path()) + ": " + e.getMessage());
                    }
                }
            }
            Set<String> planned = plan.transfers().stream().map(SyncPlan.Transfer::path).collect(Collectors.toSet());
            for (Checkpoint.Partial p : previous.partials()) {
                if (!planned.contains(p.path()) && Files.exists(layout.staging(p.path()), LinkOption.NOFOLLOW_LINKS)) {
                    keep.add(p);
                }
            }
            return keep;
        }
    }

    private static void awaitQuietly(ExecutorService s) {
        try {
            s.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
