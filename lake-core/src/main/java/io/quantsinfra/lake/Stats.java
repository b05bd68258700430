package io.quantsinfra.lake;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What a profile's local lake holds, read from file metadata and the checkpoint only: no
 * network, no file contents.
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
        long expiredBytes) {

    /** Copies the list so the record stays immutable. */
    public Stats {
        expiredDirectories = List.copyOf(expiredDirectories);
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
