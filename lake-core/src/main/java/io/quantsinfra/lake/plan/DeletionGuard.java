package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.config.Profile;
import java.util.List;
import java.util.Optional;

/**
 * Says why planned deletions must not happen, if they must not: deletion follows only from a
 * complete listing of a remote that holds data, and never removes more than the profile allows.
 * A remote that merely looks empty (a fresh disk with {@code lost+found}, or only today's empty
 * directory) or that lost most of what the lake holds is a reason to keep the data and say so.
 */
public final class DeletionGuard {
    private final Profile profile;

    DeletionGuard(Profile profile) {
        this.profile = profile;
    }

    /**
     * @param rootEmpty   whether the remote root listed no entries at all
     * @param errors      problems found while listing
     * @param remoteFiles regular files the remote holds, after filters
     * @param planned     what deletion would do
     * @return why nothing may be deleted, or empty when the deletions may go ahead
     */
    Optional<String> refusal(boolean rootEmpty, List<PathError> errors, long remoteFiles, DeletionPlanner.Deletions planned) {
        if (planned.deletions().isEmpty()) {
            return Optional.empty();
        }
        if (!errors.isEmpty()) {
            return Optional.of(errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + " while listing; nothing is deleted after an incomplete listing");
        }
        long files = planned.files();
        boolean emptyAllowed = remoteFiles == 0 && profile.allowEmptyRemote();
        if (remoteFiles == 0 && files > 0 && !emptyAllowed) {
            String looks = rootEmpty ? " lists empty" : " holds no files (only empty directories)";
            return Optional.of("the remote root " + profile.source().remoteRoot() + looks + " while " + Units.count(files)
                    + " local files would be deleted; refusing to delete them (an unmounted or fresh source disk must"
                    + " not wipe the lake). Set allow_empty_remote: true if this is intended");
        }
        int count = planned.deletions().size();
        if (profile.rsync().maxDelete().isPresent() && count > profile.rsync().maxDelete().getAsInt()) {
            return Optional.of(count + " deletions exceed --max-delete=" + profile.rsync().maxDelete().getAsInt()
                    + "; nothing is deleted");
        }
        long considered = planned.filesConsidered();
        if (!emptyAllowed && files * 100 > (long) profile.maxDeletePercent() * considered) {
            return Optional.of("--delete would remove " + Units.count(files) + " of the " + Units.count(considered)
                    + " local files it covers (" + percent(files, considered) + "), more than max_delete_percent "
                    + profile.maxDeletePercent() + "; nothing is deleted (the remote may have lost its data). If the"
                    + " remote really dropped them, raise max_delete_percent (100 allows any share) for one run");
        }
        return Optional.empty();
    }

    /**
     * Why the plan's deletions must not happen after the transfers, if they must not: a run that
     * was interrupted, or in which files failed, deletes nothing, since what it saw may be
     * incomplete.
     *
     * @param failedFiles files that failed on their own during the transfers
     */
    public static Optional<String> afterTransfers(boolean interrupted, int failedFiles) {
        if (interrupted) {
            return Optional.of("the run was interrupted; nothing is deleted");
        }
        if (failedFiles > 0) {
            return Optional.of(failedFiles + (failedFiles == 1 ? " file" : " files")
                    + " failed; nothing is deleted after errors");
        }
        return Optional.empty();
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "100 %" : Math.round(part * 100.0 / whole) + " %";
    }
}
