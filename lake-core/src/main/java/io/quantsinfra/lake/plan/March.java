package io.quantsinfra.lake.plan;

import java.util.List;

/**
 * Walks one directory's remote and local listings in lock step, as rclone's {@code march} does:
 * both are sorted by path, so a single pass pairs the entries without a map of either side.
 */
final class March {
    private March() {
    }

    /** Hears each entry of the merge, in path order. */
    interface Visitor {
        /** An entry the remote has; {@code local} is the local entry of the same path, or null. */
        void remote(RemoteEntry remote, LocalEntry local);

        /** An entry only the lake has. */
        void localOnly(LocalEntry local);
    }

    /** Merges two listings of the same directory, each sorted by path. */
    static void merge(List<RemoteEntry> remote, List<LocalEntry> local, Visitor visitor) {
        int i = 0;
        int j = 0;
        while (i < remote.size() || j < local.size()) {
            int order = i == remote.size() ? 1 : j == local.size() ? -1
                    : remote.get(i).path().compareTo(local.get(j).path());
            if (order < 0) {
                visitor.remote(remote.get(i++), null);
            } else if (order > 0) {
                visitor.localOnly(local.get(j++));
            } else {
                visitor.remote(remote.get(i++), local.get(j++));
            }
        }
    }
}
