package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.SyncPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partial downloads of a run: what the remote looked like when each started and how many
 * bytes are held. The checkpoint records them, so a later run can resume them.
 */
final class InFlight {
    private final Map<String, Checkpoint.Partial> partials = new LinkedHashMap<>();
    private boolean dirty;

    /** A download of {@code t} started with {@code offset} bytes held. */
    synchronized void started(SyncPlan.Transfer t, long offset) {
        partials.put(t.path(), new Checkpoint.Partial(t.path(), t.size(), t.mtime(), offset));
        dirty = true;
    }

    /** {@code bytes} are now held for {@code path}. */
    synchronized void held(String path, long bytes) {
        Checkpoint.Partial p = partials.get(path);
        if (p != null && p.bytesHeld() != bytes) {
            partials.put(path, new Checkpoint.Partial(path, p.remoteSize(), p.remoteMtime(), bytes, p.stagedId()));
        }
    }

    /** The store keeps what is held for {@code path} under {@code stagedId}, e.g. an upload id. */
    synchronized void stagedAs(String path, Optional<String> stagedId) {
        Checkpoint.Partial p = partials.get(path);
        if (p != null && !p.stagedId().equals(stagedId)) {
            partials.put(path, new Checkpoint.Partial(path, p.remoteSize(), p.remoteMtime(), p.bytesHeld(), stagedId));
            dirty = true;
        }
    }

    /** {@code path} was published, or its partial data dropped. */
    synchronized void done(String path) {
        if (partials.remove(path) != null) {
            dirty = true;
        }
    }

    /** The partials now, and whether the set changed since the last call. */
    synchronized Snapshot snapshot() {
        boolean changed = dirty;
        dirty = false;
        return new Snapshot(new ArrayList<>(partials.values()), changed);
    }

    /** A copy of the partials. */
    record Snapshot(List<Checkpoint.Partial> partials, boolean changed) {
    }
}
