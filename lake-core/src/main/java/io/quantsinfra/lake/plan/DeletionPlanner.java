package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.DeleteMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides what {@code --delete} removes and what it keeps, entry by entry as the plan walks the
 * two trees: a pure step, like {@link Planner}, that it serves. In {@link DeleteMode#RETENTION} a
 * dated top-level directory the remote no longer has is kept when it is not newer than the
 * remote's oldest dated directory: the collector purged it, and the lake's own retention decides
 * when it goes.
 */
final class DeletionPlanner {
    private final DeleteMode mode;
    private final Retention retention;
    private final List<SyncPlan.Deletion> deletions = new ArrayList<>();
    private final List<SyncPlan.Kept> kept = new ArrayList<>();
    private long considered;
    private Optional<LocalDate> oldestRemote = Optional.empty();

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

    /**
     * Learns the remote's top-level directories, before any local entry is heard: the oldest
     * dated one, those past retention included, bounds what the collector purged.
     *
     * @param directories the remote root's directories, and those left out as expired
     */
    void remoteTop(List<String> directories) {
        if (mode == DeleteMode.RETENTION) {
            oldestRemote = directories.stream().map(Retention::dateOf).flatMap(Optional::stream).min(Comparator.naturalOrder());
        }
    }

    /** A local entry the remote has too: never deleted, but counted for the guard's share. */
    void shared(LocalEntry l) {
        if (l.type() != EntryType.DIRECTORY) {
            considered++;
        }
    }

    /**
     * A local entry the remote does not have: deleted, or kept with its whole subtree.
     *
     * @return whether what it holds is to be heard too (it is deleted, not kept)
     */
    boolean localOnly(LocalEntry l) {
        Optional<String> purged = mode == DeleteMode.RETENTION ? purge(l) : Optional.empty();
        if (purged.isPresent()) {
            kept.add(new SyncPlan.Kept(l.path(), purged.get()));
            return false;
        }
        shared(l);
        deletions.add(new SyncPlan.Deletion(l.path(), l.type(), reason(l)));
        return true;
    }

    /** What was decided, once every local entry was heard. */
    Deletions deletions() {
        List<SyncPlan.Deletion> ordered = new ArrayList<>(deletions);
        // Children sort after their parent; deleting in reverse order empties a directory first.
        ordered.sort(Comparator.comparing(SyncPlan.Deletion::path).reversed());
        List<SyncPlan.Kept> keptInOrder = new ArrayList<>(kept);
        keptInOrder.sort(Comparator.comparing(SyncPlan.Kept::path));
        return new Deletions(ordered, keptInOrder, considered);
    }

    /**
     * Why {@code l} is the collector's purge, kept for retention, if it is: a dated top-level
     * directory the remote does not have, no newer than the oldest day the remote holds.
     */
    private Optional<String> purge(LocalEntry l) {
        if (l.type() != EntryType.DIRECTORY || l.path().contains("/")) {
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

    private String reason(LocalEntry l) {
        if (mode == DeleteMode.RETENTION && oldestRemote.isPresent() && l.type() == EntryType.DIRECTORY
                && !l.path().contains("/") && Retention.dateOf(l.path()).isPresent()) {
            return "not on the remote, which still holds older days (from " + oldestRemote.get() + ")";
        }
        return "not on the remote";
    }
}
