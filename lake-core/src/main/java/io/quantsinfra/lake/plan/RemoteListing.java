package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import java.util.List;
import java.util.SortedMap;

/**
 * The remote tree after filters and name checks.
 *
 * @param entries   accepted entries by relative path, sorted
 * @param skips     entries left out, with the reason
 * @param expired   top-level directories left out because they are older than the retention window
 * @param errors    directories that could not be listed, and refused names
 * @param rootEmpty whether the remote root itself listed no entries at all
 */
public record RemoteListing(SortedMap<String, RemoteEntry> entries, List<SyncPlan.Skip> skips, List<String> expired,
                     List<PathError> errors, boolean rootEmpty) {
}
