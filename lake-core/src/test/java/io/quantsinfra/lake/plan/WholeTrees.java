package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Whole trees, as the plan's tests write them, fed to the planner one directory at a time in the
 * order a sync lists them: the remote breadth first, each directory with its local counterpart,
 * then the directories only the lake has.
 */
final class WholeTrees {
    private WholeTrees() {
    }

    /**
     * A remote tree.
     *
     * @param entries   entries by path
     * @param expired   top-level directories past retention
     * @param errors    listing errors, heard with the root
     * @param rootEmpty whether the root listed nothing at all
     */
    record Remote(SortedMap<String, RemoteEntry> entries, List<String> expired, List<PathError> errors, boolean rootEmpty) {
    }

    /**
     * A local tree.
     *
     * @param entries entries by path
     * @param staged  bytes of staging files by path
     */
    record Local(SortedMap<String, LocalEntry> entries, Map<String, Long> staged) {
    }

    /** The plan of the two trees. */
    static SyncPlan plan(Planner planner, Remote remote, Local local, Map<String, Checkpoint.Partial> partials) {
        Planning planning = planner.begin(partials);
        Deque<String> dirs = new ArrayDeque<>(List.of(""));
        boolean root = true;
        while (!dirs.isEmpty()) {
            String dir = dirs.poll();
            List<RemoteEntry> entries = in(dir, remote.entries());
            int items = root && remote.rootEmpty() ? 0 : entries.size() + 1;
            RemoteListing listing = new RemoteListing(dir, entries, List.of(), root ? remote.expired() : List.of(),
                    root ? remote.errors() : List.of(), items);
            root = false;
            Deque<String> localOnly = new ArrayDeque<>(planning.directory(listing, local(dir, local)));
            while (!localOnly.isEmpty()) {
                localOnly.addAll(planning.localOnly(local(localOnly.pop(), local)));
            }
            entries.stream().filter(e -> e.type() == EntryType.DIRECTORY).forEach(e -> dirs.add(e.path()));
        }
        return planning.finish();
    }

    /** What {@code --delete} does with the two trees. */
    static DeletionPlanner.Deletions deletions(DeletionPlanner planner, Remote remote, Local local) {
        List<String> tops = new ArrayList<>(remote.expired());
        in("", remote.entries()).stream().filter(e -> e.type() == EntryType.DIRECTORY).forEach(e -> tops.add(e.path()));
        planner.remoteTop(tops);
        String keptTop = null; // entries sort after their directory: its whole subtree follows it
        for (LocalEntry l : local.entries().values()) {
            if (keptTop != null && l.path().startsWith(keptTop + "/")) {
                continue;
            }
            keptTop = null;
            if (remote.entries().containsKey(l.path())) {
                planner.shared(l);
            } else if (!planner.localOnly(l)) {
                keptTop = l.path();
            }
        }
        return planner.deletions();
    }

    private static LocalListing local(String dir, Local local) {
        return new LocalListing(in(dir, local.entries()), local.staged());
    }

    /** The entries directly in {@code dir}, in path order. */
    private static <E> List<E> in(String dir, SortedMap<String, E> tree) {
        List<E> out = new ArrayList<>();
        tree.forEach((path, e) -> {
            int slash = path.lastIndexOf('/');
            if (dir.equals(slash < 0 ? "" : path.substring(0, slash))) {
                out.add(e);
            }
        });
        return out;
    }
}
