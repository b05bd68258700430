package io.quantsinfra.lake;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a profile's last sync run did, as stored in its checkpoint file (see {@code state.CheckpointStore}).
 * Immutable: a sync run derives new values with {@link #started}, {@link #finished} and
 * {@link #withPartials}.
 *
 * <p>The JSON form uses snake_case names, ISO-8601 instants (e.g. {@code "2024-11-28T14:30:45Z"})
 * and lowercase status words. Unknown properties are ignored on read, so a file written by a later
 * version that adds fields still loads; missing numbers read as 0 and missing lists as empty.
 *
 * @param profileName      the profile this checkpoint belongs to
 * @param lastSyncStatus   how the last run ended, {@link Status#RUNNING} while one runs (or if it
 *                         died without finishing), {@code null} if the profile was never synced
 * @param startedAt        when the last run started, or {@code null}
 * @param lastSyncTime     when the last run ended, or {@code null}
 * @param lastSuccessTime  when the last fully successful run ended, or {@code null}
 * @param filesTransferred files downloaded by the last run
 * @param bytesTransferred bytes downloaded by the last run
 * @param filesDeleted     local files deleted by the last run
 * @param durationSeconds  how long the last run took
 * @param errors           the files the last run failed on, never {@code null}
 * @param partials         partly downloaded files kept for resuming, never {@code null}
 * @param lastCleanupTime  when retention cleanup last ran, or {@code null}
 * @param cleanupDirsDeleted expired directories the last cleanup deleted
 * @param cleanupBytesFreed  bytes the last cleanup freed
 * @param totals           counters over every run of the profile, for metrics; never {@code null}
 * @param localLake        what the profile directory held when the last sync or cleanup ended,
 *                         measured only when a metrics file is configured; {@code null} if never
 * @param heldBack         Parquet parts the last run found incomplete and did not publish, never {@code null}
 */
public record Checkpoint(
        String profileName,
        Status lastSyncStatus,
        Instant startedAt,
        Instant lastSyncTime,
        Instant lastSuccessTime,
        long filesTransferred,
        long bytesTransferred,
        long filesDeleted,
        double durationSeconds,
        List<PathError> errors,
        List<Partial> partials,
        Instant lastCleanupTime,
        long cleanupDirsDeleted,
        long cleanupBytesFreed,
        Totals totals,
        LocalLake localLake,
        List<HeldBack> heldBack) {

    /** How a sync run ended; the JSON form is the lowercase {@link #word()}. */
    public enum Status {
        /** A run is in progress, or one died without recording its end. */
        RUNNING,
        /** Every file was mirrored. */
        SUCCESS,
        /** Some files failed; the rest were mirrored. */
        PARTIAL,
        /** The run failed as a whole, e.g. it could not connect. */
        FAILED,
        /** The run was stopped, e.g. by a signal, before it finished. */
        INTERRUPTED;

        /** The lowercase word used in JSON, e.g. {@code "success"}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The status whose {@link #word()} is {@code word}.
         *
         * @throws IllegalArgumentException if there is none
         */
        public static Status fromWord(String word) {
            for (Status status : values()) {
                if (status.word().equals(word)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("unknown sync status \"" + word + "\"");
        }
    }

    /**
     * A partly downloaded file kept locally so that the next run can resume it, valid only while
     * the remote file still has the recorded size and modification time.
     *
     * @param path        the file's path relative to the profile's root
     * @param remoteSize  the remote file's size in bytes when the download stopped
     * @param remoteMtime the remote file's modification time in epoch seconds
     * @param bytesHeld   how many bytes of it are held locally
     * @param stagedId    what the store resumes the bytes by, where it needs one: the upload id
     *                    of an object store's multipart upload
     */
    public record Partial(
            String path,
            long remoteSize,
            long remoteMtime,
            long bytesHeld,
            Optional<String> stagedId) {
        /** A partial whose bytes the store finds by path alone, as a local staging file. */
        public Partial(String path, long remoteSize, long remoteMtime, long bytesHeld) {
            this(path, remoteSize, remoteMtime, bytesHeld, Optional.empty());
        }

        /** Checks that the path is present and the sizes are not negative. */
        public Partial {
            Objects.requireNonNull(path, "path is missing");
            requireNotNegative(remoteSize, "remote_size");
            requireNotNegative(bytesHeld, "bytes_held");
            Objects.requireNonNull(stagedId, "staged_id");
        }
    }

    /**
     * A Parquet part a run did not publish because it was not complete yet (a collector is still
     * writing it, or stopped half way); the next run tries again.
     *
     * @param path        the file's path relative to the profile's root
     * @param remoteSize  the remote file's size in bytes when it was checked
     * @param remoteMtime the remote file's modification time in epoch seconds
     * @param reason      what was missing, e.g. {@code "incomplete Parquet: no footer yet"}
     * @param since       when a run first found it incomplete at this size and mtime: how long
     *                    it has not changed, as far as the runs saw
     */
    public record HeldBack(String path, long remoteSize, long remoteMtime, String reason, Instant since) {
        /** Checks that every field is present and the size not negative. */
        public HeldBack {
            Objects.requireNonNull(path, "path is missing");
            Objects.requireNonNull(reason, "reason is missing");
            Objects.requireNonNull(since, "since is missing");
            requireNotNegative(remoteSize, "remote_size");
        }

        /** Whether the remote file had {@code size} and {@code mtime} when this was recorded. */
        public boolean unchanged(long size, long mtime) {
            return remoteSize == size && remoteMtime == mtime;
        }
    }

    /**
     * Counters that keep counting across runs (unlike the other fields, which describe the last
     * run), so that metrics can be rendered as monotonic counters.
     *
     * @param syncs              finished runs by the {@link Status#word()} they ended with
     * @param filesTransferred   files downloaded by all runs
     * @param bytesTransferred   bytes downloaded by all runs
     * @param cleanupDirsDeleted expired directories deleted by all cleanups
     * @param cleanupBytesFreed  bytes those cleanups freed
     */
    public record Totals(
            Map<String, Long> syncs,
            long filesTransferred,
            long bytesTransferred,
            long cleanupDirsDeleted,
            long cleanupBytesFreed) {
        /** Nothing counted yet. */
        public static final Totals ZERO = new Totals(Map.of(), 0, 0, 0, 0);

        /** Checks that no count is negative and copies the map, sorted; {@code null} becomes empty. */
        public Totals {
            syncs = syncs == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(syncs));
            syncs.forEach((status, n) -> requireNotNegative(Objects.requireNonNull(n, "totals.syncs." + status), "totals.syncs." + status));
            requireNotNegative(filesTransferred, "totals.files_transferred");
            requireNotNegative(bytesTransferred, "totals.bytes_transferred");
            requireNotNegative(cleanupDirsDeleted, "totals.cleanup_dirs_deleted");
            requireNotNegative(cleanupBytesFreed, "totals.cleanup_bytes_freed");
        }

        /** How many runs ended with {@code status}. */
        public long syncs(Status status) {
            return syncs.getOrDefault(status.word(), 0L);
        }

        Totals afterSync(Status status, long files, long bytes) {
            Map<String, Long> next = new TreeMap<>(syncs);
            next.merge(status.word(), 1L, Long::sum);
            return new Totals(next, filesTransferred + files, bytesTransferred + bytes, cleanupDirsDeleted, cleanupBytesFreed);
        }

        Totals afterCleanup(long dirsDeleted, long bytesFreed) {
            return new Totals(syncs, filesTransferred, bytesTransferred, cleanupDirsDeleted + dirsDeleted,
                    cleanupBytesFreed + bytesFreed);
        }
    }

    /**
     * The mirrored files in the profile directory (temporary files and partial downloads not
     * counted), as measured at the end of a run, for the metrics file.
     *
     * @param files number of files
     * @param bytes their total size
     */
    public record LocalLake(long files, long bytes, long rows) {
        /** Checks that no count is negative. */
        public LocalLake {
            requireNotNegative(files, "local_lake.files");
            requireNotNegative(bytes, "local_lake.bytes");
            requireNotNegative(rows, "local_lake.rows");
        }

        /** A lake whose rows were not counted. */
        public LocalLake(long files, long bytes) {
            this(files, bytes, 0);
        }
    }

    /** Checks the fields and copies the lists; {@code null} lists become empty ones, {@code null} totals zero. */
    public Checkpoint {
        Objects.requireNonNull(profileName, "profile_name is missing");
        if (profileName.isBlank()) {
            throw new IllegalArgumentException("profile_name is blank");
        }
        requireNotNegative(filesTransferred, "files_transferred");
        requireNotNegative(bytesTransferred, "bytes_transferred");
        requireNotNegative(filesDeleted, "files_deleted");
        requireNotNegative(cleanupDirsDeleted, "cleanup_dirs_deleted");
        requireNotNegative(cleanupBytesFreed, "cleanup_bytes_freed");
        if (!(durationSeconds >= 0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("duration_seconds must be a finite number >= 0, got " + durationSeconds);
        }
        errors = errors == null ? List.of() : List.copyOf(errors);
        partials = partials == null ? List.of() : List.copyOf(partials);
        totals = totals == null ? Totals.ZERO : totals;
        heldBack = heldBack == null ? List.of() : List.copyOf(heldBack);
    }

    /** The checkpoint of a profile that was never synced. */
    public static Checkpoint empty(String profileName) {
        return new Checkpoint(profileName, null, null, null, null, 0, 0, 0, 0.0, List.of(), List.of(), null, 0, 0, Totals.ZERO,
                null, List.of());
    }

    /**
     * This checkpoint as a run starting at {@code now} records it: status running, started at
     * {@code now}, counters, duration and errors cleared. The end and success times of the previous
     * run and the partial files (which the new run may resume) are kept.
     */
    public Checkpoint started(Instant now) {
        Objects.requireNonNull(now, "now");
        return new Checkpoint(profileName, Status.RUNNING, now, lastSyncTime, lastSuccessTime,
                0, 0, 0, 0.0, List.of(), partials, lastCleanupTime, cleanupDirsDeleted, cleanupBytesFreed, totals, localLake, heldBack);
    }

    /**
     * This checkpoint as a run that ended at {@code end} records it. The duration is measured from
     * {@link #startedAt()} (0 if there is none, or if the clock went backwards); the last success time
     * becomes {@code end} when {@code status} is {@link Status#SUCCESS} and is kept otherwise. The run,
     * its files and bytes are added to the {@link #totals()}.
     *
     * @param status   how the run ended; not {@link Status#RUNNING}
     * @param end      when it ended
     * @param files    files downloaded
     * @param bytes    bytes downloaded
     * @param deleted  local files deleted
     * @param errors   the files it failed on
     * @param partials the partly downloaded files kept for the next run
     * @throws IllegalArgumentException if {@code status} is {@link Status#RUNNING}
     */
    public Checkpoint finished(Status status, Instant end, long files, long bytes, long deleted,
                               List<PathError> errors, List<Partial> partials) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(end, "end");
        if (status == Status.RUNNING) {
            throw new IllegalArgumentException("a finished run cannot have status running");
        }
        double duration = 0.0;
        if (startedAt != null && !end.isBefore(startedAt)) {
            Duration took = Duration.between(startedAt, end);
            duration = took.getSeconds() + took.getNano() / 1e9;
        }
        return new Checkpoint(profileName, status, startedAt, end, status == Status.SUCCESS ? end : lastSuccessTime,
                files, bytes, deleted, duration, errors, partials, lastCleanupTime, cleanupDirsDeleted, cleanupBytesFreed,
                totals.afterSync(status, files, bytes), localLake, heldBack);
    }

    /** This checkpoint with its partial files replaced by {@code partials}. */
    public Checkpoint withPartials(List<Partial> partials) {
        Objects.requireNonNull(partials, "partials");
        return new Checkpoint(profileName, lastSyncStatus, startedAt, lastSyncTime, lastSuccessTime,
                filesTransferred, bytesTransferred, filesDeleted, durationSeconds, errors, partials,
                lastCleanupTime, cleanupDirsDeleted, cleanupBytesFreed, totals, localLake, heldBack);
    }

    /**
     * This checkpoint with a retention cleanup recorded: when it ran, what it deleted and freed.
     * The deleted directories and freed bytes are added to the {@link Totals}.
     */
    public Checkpoint cleanedUp(Instant time, long dirsDeleted, long bytesFreed) {
        Objects.requireNonNull(time, "time");
        return new Checkpoint(profileName, lastSyncStatus, startedAt, lastSyncTime, lastSuccessTime,
                filesTransferred, bytesTransferred, filesDeleted, durationSeconds, errors, partials,
                time, dirsDeleted, bytesFreed, totals.afterCleanup(dirsDeleted, bytesFreed), localLake, heldBack);
    }

    /** This checkpoint with the profile directory's content measured as {@code localLake}. */
    public Checkpoint withLocalLake(LocalLake localLake) {
        Objects.requireNonNull(localLake, "localLake");
        return new Checkpoint(profileName, lastSyncStatus, startedAt, lastSyncTime, lastSuccessTime,
                filesTransferred, bytesTransferred, filesDeleted, durationSeconds, errors, partials,
                lastCleanupTime, cleanupDirsDeleted, cleanupBytesFreed, totals, localLake, heldBack);
    }

    /** This checkpoint with the Parquet parts held back replaced by {@code heldBack}. */
    public Checkpoint withHeldBack(List<HeldBack> heldBack) {
        Objects.requireNonNull(heldBack, "heldBack");
        return new Checkpoint(profileName, lastSyncStatus, startedAt, lastSyncTime, lastSuccessTime,
                filesTransferred, bytesTransferred, filesDeleted, durationSeconds, errors, partials,
                lastCleanupTime, cleanupDirsDeleted, cleanupBytesFreed, totals, localLake, heldBack);
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }
}
