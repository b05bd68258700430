package io.quantsinfra.lake;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one sync of one profile.
 *
 * @param profile          the profile's name
 * @param status           how the run ended; a dry run reports {@link Checkpoint.Status#SUCCESS}
 * @param dryRun           whether nothing was changed on purpose
 * @param previous         the checkpoint as the run found it
 * @param plan             what the run set out to do
 * @param filesTransferred files published by this run
 * @param filesResumed     of those, files that continued a partial download
 * @param bytesTransferred bytes received for them, including resume verification
 * @param filesDeleted     local entries deleted by {@code --delete}
 * @param duration         wall-clock time of the run
 * @param errors           files that failed, with the reason
 * @param deletionBlocked  why planned deletions did not happen, if they did not
 * @param reconnects       how often the link dropped and was re-established
 * @param cleanup          the retention cleanup run after the sync, unless it was switched off
 *                         or the run was interrupted (in a dry run: what it would delete)
 * @param heldBack         Parquet parts not published because they were not complete yet, with
 *                         why and since when; not errors: the next run tries them again
 */
public record SyncReport(
        String profile,
        Checkpoint.Status status,
        boolean dryRun,
        Checkpoint previous,
        SyncPlan plan,
        long filesTransferred,
        long filesResumed,
        long bytesTransferred,
        long filesDeleted,
        Duration duration,
        List<PathError> errors,
        Optional<String> deletionBlocked,
        int reconnects,
        Optional<CleanupReport> cleanup,
        List<Checkpoint.HeldBack> heldBack) {

    /** Copies the lists so the record stays immutable. */
    public SyncReport {
        errors = List.copyOf(errors);
        heldBack = List.copyOf(heldBack);
    }

    /** Whether this run picked up the work of an earlier one that did not finish. */
    public boolean resumedFromCheckpoint() {
        return hasWorkToResume(previous);
    }

    /**
     * Whether a checkpoint shows unfinished work: a run that was killed ({@code running}) or
     * interrupted, or partial files kept for resuming.
     */
    public static boolean hasWorkToResume(Checkpoint c) {
        return c.lastSyncStatus() == Checkpoint.Status.RUNNING || c.lastSyncStatus() == Checkpoint.Status.INTERRUPTED
                || c.lastSyncStatus() != Checkpoint.Status.SUCCESS && !c.partials().isEmpty();
    }
}
