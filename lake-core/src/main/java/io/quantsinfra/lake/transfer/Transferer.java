package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.ParquetParts;
import io.quantsinfra.lake.config.RsyncOptions;
import io.quantsinfra.lake.durability.BatchSync;
import io.quantsinfra.lake.parquet.ParquetFooter;
import io.quantsinfra.lake.parquet.PartEnds;
import io.quantsinfra.lake.plan.Planner;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.StagedFile;
import io.quantsinfra.lake.store.StoreWriteException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Downloads one file: verifies and resumes partial data, streams the rest, checks that the
 * remote did not change meanwhile, sets mtime and permissions after the last byte, and publishes
 * the file atomically (or in place with {@code --inplace}).
 */
final class Transferer {
    /**
     * A large file is flushed in the background each time this much more of it was written, so
     * that the disk works while the network does, and the flush before its rename finds little
     * left to write. Without it a 1 GiB file waited for all its bytes at the end.
     */
    static final long FLUSH_EVERY = 32L * 1024 * 1024;

    /**
     * What happened to one published file.
     *
     * @param transfer         the file as planned
     * @param bytesTransferred bytes received for it
     * @param resumed          whether it continued a partial download
     * @param rows             its row count, for a Parquet part whose footer was read
     */
    record Outcome(SyncPlan.Transfer transfer, long bytesTransferred, boolean resumed, OptionalLong rows) {
    }

    /** A file that failed on its own; the run goes on. */
    static final class FileFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient PathError error;
        private final long bytesTransferred;

        FileFailedException(PathError error, long bytesTransferred) {
            super(error.message());
            this.error = error;
            this.bytesTransferred = bytesTransferred;
        }

        PathError error() {
            return error;
        }

        long bytesTransferred() {
            return bytesTransferred;
        }
    }

    /** A file's progress, kept across reconnects. */
    private static final class Progress {
        long offset;
        boolean verified;
        boolean resumed;
        long bytes;
        /** Where the last early flush started, and that flush. */
        long flushedAt;
        CompletableFuture<Void> flushing = CompletableFuture.completedFuture(null);
        /** What the store keeps the bytes under, once the file was abandoned. */
        Optional<String> stagedId = Optional.empty();
        /** The head and tail of a Parquet part, kept as its bytes pass; null for other files. */
        PartEnds ends;
        /** The row count of a complete Parquet part. */
        OptionalLong rows = OptionalLong.empty();
    }

    private final RemoteSession session;
    private final String remoteRoot;
    private final LakeStore store;
    private final RsyncOptions rsync;
    private final SyncListener listener;
    private final BooleanSupplier stopped;
    /** Paces the READs of streamed files, one limiter for all workers ({@code --bwlimit}). */
    private final RemoteFs.Pacer pacer;
    private final InFlight inFlight;
    private final Executor background;
    private final ParquetParts parquetParts;

    /**
     * @param stopped    tells when the run must stop (cancelled, or failed elsewhere); checked per chunk
     * @param background runs the early flushes of large files
     * @param parquetParts which files are published only once they are complete Parquet
     */
    Transferer(RemoteSession session, String remoteRoot, LakeStore store, RsyncOptions rsync, SyncListener listener,
               BooleanSupplier stopped, InFlight inFlight, Executor background, ParquetParts parquetParts) {
        this.session = session;
        this.remoteRoot = remoteRoot;
        this.store = store;
        this.rsync = rsync;
        this.listener = listener;
        this.stopped = stopped;
        this.pacer = rsync.bandwidthLimit().isPresent()
                ? new RateLimiter(rsync.bandwidthLimit().getAsLong()) : RemoteFs.Pacer.UNLIMITED;
        this.inFlight = inFlight;
        this.background = background;
        this.parquetParts = parquetParts;
    }

    /**
     * A file whose bytes have all arrived in its staging file, checked against the remote, but
     * not yet durable or published. {@link #seal} and {@link #publish} finish it.
     */
    final class Received {
        private final SyncPlan.Transfer transfer;
        private final StagedFile staged;
        private final Progress progress;

        private Received(SyncPlan.Transfer transfer, StagedFile staged, Progress progress) {
            this.transfer = transfer;
            this.staged = staged;
            this.progress = progress;
        }

        /** Bytes received over the network for this file. */
        long bytes() {
            return progress.bytes;
        }

        /** The file's size in bytes, as listed. */
        long size() {
            return transfer.size();
        }

        /** The directory it is published in. */
        Optional<Path> targetDirectory() {
            return staged.targetDirectory();
        }

        /** The directory that holds its staging file. */
        Optional<Path> stagingDirectory() {
            return staged.stagingDirectory();
        }
    }

    /**
     * Downloads {@code t} into its staging file and checks that the remote did not change.
     *
     * @throws FileFailedException    when this file failed and the others may go on
     * @throws HeldBackException      when it is a Parquet part not complete yet
     * @throws LakeException          when the run must stop: connection gone for good, disk full
     * @throws InterruptedIOException when the run was cancelled
     */
    Received receive(SyncPlan.Transfer t) throws FileFailedException, HeldBackException, InterruptedIOException {
        Progress p = new Progress();
        p.offset = t.resumeFrom();
        if (parquetParts.covers(t.path())) {
            p.ends = new PartEnds(t.size(), ParquetFooter.FIRST_TAIL_LENGTH);
        }
        String abs = RemoteTree.join(remoteRoot, t.path());
        StagedFile staged = null;
        try {
            staged = store.stage(t.path(), new LakeStore.Source(t.size(), t.mtime()), p.offset);
            p.offset = staged.size();
            listener.fileStarted(t.path(), t.size(), p.offset);
            inFlight.started(t, p.offset);
            StagedFile into = staged;
            session.call(fs -> {
                copy(fs, abs, t, into, p);
                return null;
            });
            return new Received(t, staged, p);
        } catch (InterruptedIOException e) {
            abandon(staged, p);
            cleanUp(staged != null && rsync.partial(), t, p);
            throw e;
        } catch (HeldBackException e) {
            abandon(staged, p);
            // a part is appended to until its footer is written: bytes it had are kept, as for a
            // resume, whose tail check finds out if it was rewritten instead
            cleanUp(staged != null && rsync.partial() && Planner.resumable(t.size()), t, p);
            throw e;
        } catch (IOException | LakeException e) {
            abandon(staged, p);
            throw failure(e, t, abs, p, staged != null && rsync.partial());
        }
    }

    /**
     * What happened to one file of {@link #keepWhole(List, List)}: received, failed on its own, or
     * held back; exactly one is not null.
     */
    record Attempt(Received received, FileFailedException failure, HeldBackException heldBack) {
    }

    /**
     * Whether {@code t} may be read whole with others in one remote call: a file under
     * {@link RemoteFs#GROUP_READ_MAX} started afresh, with no bandwidth limit to pace it.
     */
    boolean readsWhole(SyncPlan.Transfer t) {
        return t.resumeFrom() == 0 && t.size() < RemoteFs.GROUP_READ_MAX && rsync.bandwidthLimit().isEmpty();
    }

    /**
     * Whether the bytes of {@link #fetchWhole} for {@code ts} hold the memory budget until
     * {@link #keepWhole} has written them (see {@link RemoteFs#readWhole}).
     */
    static boolean holdsBudget(List<SyncPlan.Transfer> ts) {
        return ts.stream().anyMatch(t -> RemoteFs.holdsBudget(t.size() + 1));
    }

    /**
     * Downloads files to read whole (see {@link #readsWhole}) with one remote call for the lot; nothing
     * local is opened yet: {@link #keepWhole(List, List)} follows.
     *
     * @return one result per file, in order; a file's own failure, or the link's, is in its result
     * @throws LakeException          when the run must stop: connection gone for good
     * @throws InterruptedIOException when the run was cancelled
     */
    List<RemoteFs.Whole> fetchWhole(List<SyncPlan.Transfer> ts) throws InterruptedIOException {
        List<RemoteFs.WholeRead> reads = new ArrayList<>();
        for (SyncPlan.Transfer t : ts) {
            reads.add(new RemoteFs.WholeRead(RemoteTree.join(remoteRoot, t.path()), (int) t.size() + 1));
        }
        try {
            return session.call(fs -> fs.readWhole(reads));
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            return reads.stream().map(r -> RemoteFs.Whole.failed(e)).toList();
        }
    }

    /**
     * Checks each file of {@link #fetchWhole} as {@link #receive} checks one, and writes it to
     * its staging file, which stays open. Closes each result once its bytes are written.
     *
     * @param got what {@link #fetchWhole} returned for {@code ts}
     * @throws LakeException when the run must stop (e.g. the disk is full); then none of these files is kept
     */
    List<Attempt> keepWhole(List<SyncPlan.Transfer> ts, List<RemoteFs.Whole> got) {
        List<Attempt> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < ts.size(); i++) {
                attempts.add(keepWhole(ts.get(i), got.get(i)));
            }
        } catch (LakeException e) { // e.g. the disk is full: what was received is not published
            for (Attempt a : attempts) {
                if (a.received() != null) {
                    a.received().staged.abandon();
                    cleanUp(false, a.received().transfer, a.received().progress);
                }
            }
            throw e;
        }
        return attempts;
    }

    /** Checks a file read whole and, if it is the one listed, writes it to its staging file. */
    private Attempt keepWhole(SyncPlan.Transfer t, RemoteFs.Whole whole) {
        String abs = RemoteTree.join(remoteRoot, t.path());
        Progress p = new Progress();
        StagedFile staged = null;
        try (whole) {
            if (whole.error() != null) {
                throw whole.error();
            }
            long delivered = whole.length();
            long keep = Math.min(delivered, t.size());
            p.bytes = keep;
            ParquetGate.heldIfChanging(parquetParts, t, () -> p.bytes,
                    () -> ChangedException.requireUnchanged(abs, t, t.size(), delivered, keep, whole.attributes()));
            if (parquetParts.covers(t.path())) {
                p.rows = ParquetGate.rows(t, ParquetGate.whole(t, whole.data()), p.bytes);
            }
            staged = store.stage(t.path(), new LakeStore.Source(t.size(), t.mtime()), 0); // afresh: it holds nothing
            listener.fileStarted(t.path(), t.size(), 0);
            inFlight.started(t, 0);
            long at = 0;
            for (ByteBuffer piece : whole.data()) {
                int n = (int) Math.min(piece.remaining(), keep - at);
                staged.write(piece.duplicate().limit(piece.position() + n), at);
                at += n;
            }
            p.offset = keep;
            listener.bytesTransferred(t.path(), keep);
            return new Attempt(new Received(t, staged, p), null, null);
        } catch (HeldBackException e) {
            return new Attempt(null, null, e); // nothing was staged: a file read whole is never resumed
        } catch (IOException | LakeException e) {
            abandon(staged, p);
            return new Attempt(null, failure(e, t, abs, p, false), null);
        }
    }

    /**
     * Closes a received file and sets its permissions and mtime: everything but the rename. With
     * {@code syncNow} its bytes are made durable first (fdatasync); otherwise the caller makes a
     * batch of files durable at once (see {@link BatchSync}) before it calls {@link #publish}.
     *
     * @throws FileFailedException when this file failed and the others may go on
     * @throws LakeException       when the disk is full
     */
    void seal(Received r, boolean syncNow) throws FileFailedException {
        SyncPlan.Transfer t = r.transfer;
        try {
            r.staged.seal(syncNow, rsync.preservePermissions() && t.permissions() >= 0
                            ? OptionalInt.of(t.permissions()) : OptionalInt.empty(),
                    rsync.preserveTimes() ? OptionalLong.of(t.mtime()) : OptionalLong.empty());
        } catch (IOException | LakeException e) {
            throw failure(e, t, RemoteTree.join(remoteRoot, t.path()), r.progress, rsync.partial());
        }
    }

    /**
     * Publishes a sealed file, whose bytes are durable by now, under its final name with an
     * atomic rename (or leaves it in place with {@code --inplace}).
     *
     * @throws FileFailedException when this file failed and the others may go on
     * @throws LakeException       when the disk is full
     */
    Outcome publish(Received r) throws FileFailedException {
        SyncPlan.Transfer t = r.transfer;
        try {
            r.staged.publish();
            inFlight.done(t.path());
            listener.fileDone(t.path(), r.progress.bytes);
            return new Outcome(t, r.progress.bytes, r.progress.resumed, r.progress.rows);
        } catch (IOException | LakeException e) {
            throw failure(e, t, RemoteTree.join(remoteRoot, t.path()), r.progress, rsync.partial());
        }
    }

    /**
     * A sealed file whose bytes could not be made durable: it is not published, and its staging
     * file is removed, since what reached the disk is unknown.
     *
     * @throws LakeException when the disk is full
     */
    FileFailedException notDurable(Received r, IOException e) {
        SyncPlan.Transfer t = r.transfer;
        return failure(new StoreWriteException(e), t, RemoteTree.join(remoteRoot, t.path()), r.progress, false);
    }

    /**
     * Cleans up after a failed file and says what to throw: a {@link FileFailedException}, or
     * for a full disk or a link lost for good, the {@link LakeException} that stops the run.
     */
    private FileFailedException failure(Exception e, SyncPlan.Transfer t, String abs, Progress p, boolean keepPartial) {
        if (e instanceof StoreWriteException w) {
            Optional<LakeException> stop = store.stopping(w, "writing " + store.stagedLocation(t.path()));
            if (stop.isPresent()) {
                inFlight.held(t.path(), p.offset);
                throw stop.get();
            }
        }
        cleanUp(keepPartial && Planner.resumable(t.size()) && !(e instanceof ChangedException), t, p);
        if (e instanceof LakeException l) {
            throw l;
        }
        String what;
        if (e instanceof StoreWriteException) {
            what = "cannot write " + store.stagedLocation(t.path()) + ": " + e.getMessage();
        } else if (e instanceof ChangedException) {
            what = e.getMessage();
        } else if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            boolean remoteSide = f.getFile() != null && f.getFile().equals(abs);
            what = remoteSide ? (e instanceof NoSuchFileException ? "vanished from the remote" : "cannot be read")
                    + " (" + f.getReason() + ": " + abs + ")" : "local error on " + f.getFile() + ": " + e.getMessage();
        } else {
            what = "transfer of " + abs + " failed: " + e.getMessage();
        }
        return new FileFailedException(new PathError(t.path(), what), p.bytes);
    }

    private void copy(RemoteFs fs, String abs, SyncPlan.Transfer t, StagedFile into, Progress p) throws IOException {
        try (RemoteFs.Reader r = fs.open(abs)) {
            boolean verify = p.offset > 0 && !p.verified;
            p.verified = true; // bytes written by this run need no check after a reconnect
            if (verify) {
                if (tailMatches(r, into, p)) {
                    p.resumed = true;
                } else {
                    p.offset = 0;
                    into.startOver();
                }
            }
            if (p.ends != null) {
                ParquetGate.readBefore(r, abs, p.ends, p.offset, n -> p.bytes += n);
            }
            long remaining = t.size() - p.offset;
            RemoteFs.Transferred got = r.transfer(p.offset, remaining, pacer, data -> {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedIOException("cancelled");
                }
                int len = data.remaining();
                if (p.ends != null) {
                    p.ends.accept(p.offset, data);
                }
                into.write(data, p.offset);
                p.offset += len;
                flushEarly(into, p);
                p.bytes += len;
                inFlight.held(t.path(), p.offset);
                listener.bytesTransferred(t.path(), len);
            });
            ParquetGate.heldIfChanging(parquetParts, t, () -> p.bytes,
                    () -> ChangedException.requireUnchanged(abs, t, remaining, got.bytes(), p.offset, got.attributes()));
        }
        if (p.ends != null) {
            ParquetGate.heldIfChanging(parquetParts, t, () -> p.bytes,
                    () -> p.rows = ParquetGate.rows(t, ParquetGate.streamed(fs, abs, t, p.ends, n -> p.bytes += n),
                            p.bytes));
        }
    }

    /**
     * Starts a background flush once {@link #FLUSH_EVERY} more bytes were written, one at a time
     * per file. Nothing waits for it: the flush before the rename covers every byte anyway.
     */
    private void flushEarly(StagedFile into, Progress p) {
        if (p.offset - p.flushedAt >= FLUSH_EVERY && p.flushing.isDone()) {
            p.flushedAt = p.offset;
            try {
                p.flushing = CompletableFuture.runAsync(into::flushEarly, background);
            } catch (RejectedExecutionException e) {
                // the run is stopping
            }
        }
    }

    /** Whether the last bytes staged are the remote's bytes at the same offset, as the store checks them. */
    private boolean tailMatches(RemoteFs.Reader r, StagedFile staged, Progress p) throws IOException {
        StagedFile.TailCheck check = staged.tailCheck();
        byte[] theirs = new byte[check.length()];
        if (!ParquetGate.readFully(r, check.from(), theirs)) {
            return false;
        }
        p.bytes += theirs.length;
        boolean matches = check.matches().test(theirs);
        if (matches && p.ends != null) {
            p.ends.accept(check.from(), ByteBuffer.wrap(theirs));
        }
        return matches;
    }

    private void cleanUp(boolean keepPartial, SyncPlan.Transfer t, Progress p) {
        if (keepPartial && p.offset > 0) {
            inFlight.held(t.path(), p.offset);
            inFlight.stagedAs(t.path(), p.stagedId);
            return;
        }
        inFlight.done(t.path());
        try {
            store.discardStaged(t.path());
        } catch (IOException e) {
            listener.warning("cannot remove the partial file " + store.stagedLocation(t.path()) + ": " + e.getMessage());
        }
    }

    /**
     * Stops writing a file that failed, if it was opened, and notes the bytes its store kept;
     * the first error is the one reported.
     */
    private static void abandon(StagedFile staged, Progress p) {
        if (staged != null) {
            long kept = staged.abandon();
            if (kept >= 0) {
                p.offset = kept;
            }
            p.stagedId = staged.stagedId();
        }
    }
}
