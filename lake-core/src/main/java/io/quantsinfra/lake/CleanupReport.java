package io.quantsinfra.lake;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a retention cleanup of one profile.
 *
 * @param profile       the profile's name
 * @param retentionDays the window; 0 keeps everything
 * @param cutoff        the first date kept, when there is a window
 * @param expired       the expired directories, deleted (or, in a dry run, to be deleted)
 * @param unknownDate   top-level names kept because no date could be read from them
 * @param bytesFreed    bytes in the expired directories
 * @param dryRun        whether nothing was deleted on purpose
 * @param errors        directories that could not be deleted completely
 */
public record CleanupReport(
        String profile,
        int retentionDays,
        Optional<LocalDate> cutoff,
        List<Expired> expired,
        List<String> unknownDate,
        long bytesFreed,
        boolean dryRun,
        List<PathError> errors) {

    /** Copies the lists so the record stays immutable. */
    public CleanupReport {
        expired = List.copyOf(expired);
        unknownDate = List.copyOf(unknownDate);
        errors = List.copyOf(errors);
    }

    /**
     * One expired directory.
     *
     * @param name  its name under the profile directory
     * @param date  the date in its name
     * @param bytes the bytes of the files in it
     */
    public record Expired(String name, LocalDate date, long bytes) {
    }
}
