package io.quantsinfra.lake;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a profile's local lake holds, read from the lake's listing, the checkpoint and the
 * Parquet footers (each read once, then cached); the collector is not asked.
 *
 * @param profile            the profile's name
 * @param location           the profile's directory, or its place in an object store
 * @param remoteSource       {@code user@host:remote_root}
 * @param localExists        whether the profile directory exists yet
 * @param dataBytes          bytes of the mirrored files (temporary files excluded)
 * @param files              number of mirrored files
 * @param earliestDate       the oldest date among the dated top-level directories
 * @param latestDate         the newest one
 * @param checkpoint         the checkpoint as stored (never synced: empty)
 * @param retentionDays      the window; 0 keeps everything
 * @param cutoff             the first date kept, when there is a window
 * @param expiredDirectories expired directories waiting for cleanup
 * @param expiredBytes       the bytes they hold
 * @param rows               rows of the Parquet parts, as their footers state them
 * @param rowsByDate         those rows by the date of their top-level directory (parts in
 *                           undated directories count in {@code rows} only)
 * @param partsUnread        Parquet parts whose footer could not be read or is not complete,
 *                           whose rows are not counted
 */
public record Stats(
        String profile,
        String location,
        String remoteSource,
        boolean localExists,
        long dataBytes,
        long files,
        Optional<LocalDate> earliestDate,
        Optional<LocalDate> latestDate,
        Checkpoint checkpoint,
        int retentionDays,
        Optional<LocalDate> cutoff,
        List<String> expiredDirectories,
        long expiredBytes,
        long rows,
        SortedMap<LocalDate, Long> rowsByDate,
        long partsUnread) {

    /** Copies the collections so the record stays immutable. */
    public Stats {
        expiredDirectories = List.copyOf(expiredDirectories);
        rowsByDate = Collections.unmodifiableSortedMap(new TreeMap<>(rowsByDate));
    }

    /** Partial downloads waiting to be resumed, from the checkpoint. */
    public int partialFiles() {
        return checkpoint.partials().size();
    }

    /** The bytes they hold. */
    public long partialBytes() {
        return checkpoint.partials().stream().mapToLong(Checkpoint.Partial::bytesHeld).sum();
    }
}
