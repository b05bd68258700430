package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.DeleteMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what {@code --delete} removes and what it keeps, from the two listings alone: a pure
 * step, like {@link Planner}, that it serves. In {@link DeleteMode#RETENTION} a dated top-level
 * directory the remote no longer has is kept when it is not newer than the remote's oldest dated
 * directory: the collector purged it, and the lake's own retention decides when it goes.
 */
final class DeletionPlanner {
    private final DeleteMode mode;
    private final Retention retention;

    /**
     * What deletion will do.
     *
     * @param deletions       local entries to delete, children before their directories
     * @param kept            top-level directories the remote no longer has that stay, with the rule
     * @param filesConsidered local files (not directories) deletion could have removed: all of them,
     *                        but for those under the kept directories; the delete guard's share is of these
     */
    record Deletions(List<SyncPlan.Deletion> deletions, List<SyncPlan.Kept> kept, long filesConsidered) {
        /** Files (and links) among the deletions, directories not counted. */
        long files() {
            return deletions.stream().filter(d -> d.type() != EntryType.DIRECTORY).count();
        }
    }

    DeletionPlanner(DeleteMode mode, Retention retention) {
        this.mode = mode;
        this.retention = retention;
    }

    Deletions plan(RemoteListing remote, LocalListing local) {
        Optional<LocalDate> oldestRemote = mode == DeleteMode.RETENTION ? oldestDay(remote) : Optional.empty();
        List<SyncPlan.Deletion> deletions = new ArrayList<>();
        List<SyncPlan.Kept> kept = new ArrayList<>();
        long considered = 0;
        String keptTop = null; // entries sort after their directory: its whole subtree follows it
        for (LocalEntry l : local.entries().values()) {
            if (keptTop != null && l.path().startsWith(keptTop + "/")) {
                continue;
            }
            keptTop = null;
            Optional<String> purged = mode == DeleteMode.RETENTION ? purge(l, remote.entries(), oldestRemote) : Optional.empty();
            if (purged.isPresent()) {
                kept.add(new SyncPlan.Kept(l.path(), purged.get()));
                keptTop = l.path();
                continue;
            }
            if (l.type() != EntryType.DIRECTORY) {
                considered++;
            }
            if (!remote.entries().containsKey(l.path())) {
                deletions.add(new SyncPlan.Deletion(l.path(), l.type(), reason(l, oldestRemote)));
            }
        }
        // Children sort after their parent; deleting in reverse order empties a directory first.
        deletions.sort(Comparator.comparing(SyncPlan.Deletion::path).reversed());
        return new Deletions(deletions, kept, considered);
    }

    /**
     * Why {@code l} is the collector's purge, kept for retention, if it is: a dated top-level
     * directory the remote does not have, no newer than the oldest day the remote holds.
     */
    private Optional<String> purge(LocalEntry l, Map<String, RemoteEntry> remote, Optional<LocalDate> oldestRemote) {
        if (l.type() != EntryType.DIRECTORY || l.path().contains("/") || remote.containsKey(l.path())) {
            return Optional.empty();
        }
        Optional<LocalDate> day = Retention.dateOf(l.path());
        if (day.isEmpty() || oldestRemote.isPresent() && day.get().isAfter(oldestRemote.get())) {
            return Optional.empty();
        }
        String until = retention.expiresOn(day.get()).map(d -> "until retention expires it on " + d)
                .orElse("for good (retention_days: 0 keeps data forever)");
        return Optional.of(oldestRemote.map(o -> "the collector purged it: dated " + day.get()
                        + ", not newer than the oldest day the remote still holds (" + o + ")")
                .orElse("the collector purged it: dated " + day.get() + ", and the remote holds no dated directory")
                + "; kept " + until + " (delete_mode: mirror deletes it)");
    }

    private String reason(LocalEntry l, Optional<LocalDate> oldestRemote) {
        if (mode == DeleteMode.RETENTION && oldestRemote.isPresent() && l.type() == EntryType.DIRECTORY
                && !l.path().contains("/") && Retention.dateOf(l.path()).isPresent()) {
            return "not on the remote, which still holds older days (from " + oldestRemote.get() + ")";
        }
        return "not on the remote";
    }

    /** The oldest date among the remote's dated top-level directories, those past retention included. */
    private static Optional<LocalDate> oldestDay(RemoteListing remote) {
        List<String> tops = new ArrayList<>(remote.expired());
        remote.entries().values().stream()
                .filter(e -> e.type() == EntryType.DIRECTORY && !e.path().contains("/"))
                .forEach(e -> tops.add(e.path()));
        return tops.stream().map(Retention::dateOf).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }
}
