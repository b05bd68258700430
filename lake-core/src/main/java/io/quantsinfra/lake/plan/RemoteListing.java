package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import java.util.List;

/**
 * One remote directory after filters and name checks: the plan is made one directory at a
 * time, so that no more than a few directories' entries are held at once.
 *
 * @param directory relative path of the directory, empty for the remote root
 * @param entries   accepted entries, sorted by path
 * @param skips     entries left out, with the reason
 * @param expired   top-level directories left out because they are older than the retention
 *                  window (the root's listing only)
 * @param errors    the directory could not be listed, or names it holds were refused
 * @param itemCount names the server sent, before any check; -1 when the directory could not be listed
 */
public record RemoteListing(String directory, List<RemoteEntry> entries, List<SyncPlan.Skip> skips, List<String> expired,
                            List<PathError> errors, int itemCount) {
    /** Copies every list so the listing is immutable. */
    public RemoteListing {
        entries = List.copyOf(entries);
        skips = List.copyOf(skips);
        expired = List.copyOf(expired);
        errors = List.copyOf(errors);
    }
}
