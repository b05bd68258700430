package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.state.RowCache;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What became of a run's Parquet parts: those held back because they were not complete yet, and
 * the rows of those published. Hears the transfers from many threads; the run then asks it what
 * to record once the transfers are over.
 */
final class ParquetOutcomes {
    private final Profile profile;
    private final Checkpoint previous;
    private final SyncListener listener;
    /** The parts this run held back, by path. */
    private final Map<String, HeldBackException> heldBack = new ConcurrentHashMap<>();
    /** Rows of the parts this run published, as {path: [size, mtime, rows]}, for the row cache. */
    private final Map<String, long[]> publishedRows = new ConcurrentHashMap<>();
    /** The parts the previous run held back that this run published. */
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final Set<String> heldBefore;

    /** @param previous the checkpoint the run started from, with the parts held back before */
    ParquetOutcomes(Profile profile, Checkpoint previous, SyncListener listener) {
        this.profile = profile;
        this.previous = previous;
        this.listener = listener;
        this.heldBefore = previous.heldBack().stream().map(Checkpoint.HeldBack::path).collect(Collectors.toSet());
    }

    /** A file was published; a part's rows are kept for the row cache. */
    void published(Transferer.Outcome outcome) {
        SyncPlan.Transfer t = outcome.transfer();
        if (outcome.rows().isPresent() && (profile.rsync().preserveTimes() || profile.objectLocation().isPresent())) {
            publishedRows.put(t.path(), new long[] {t.size(), t.mtime(), outcome.rows().getAsLong()});
        }
        if (heldBefore.contains(t.path())) {
            released.add(t.path());
        }
    }

    /** A part was not complete yet. */
    void heldBack(HeldBackException e) {
        heldBack.put(e.transfer().path(), e);
        listener.fileHeldBack(e.transfer().path(), e.reason());
    }

    /**
     * The Parquet parts held back once this run ends, sorted by path: those it held back, each
     * dated from when a run first found it at its present size and mtime, and after an
     * interrupted run also the earlier ones it did not get to.
     */
    List<Checkpoint.HeldBack> heldBackAfter(Instant now, boolean interrupted) {
        Map<String, Checkpoint.HeldBack> before = previous.heldBack().stream()
                .collect(Collectors.toMap(Checkpoint.HeldBack::path, h -> h, (a, b) -> a));
        List<Checkpoint.HeldBack> after = new ArrayList<>();
        for (HeldBackException e : heldBack.values()) {
            SyncPlan.Transfer t = e.transfer();
            Checkpoint.HeldBack was = before.get(t.path());
            Instant since = was != null && was.unchanged(t.size(), t.mtime()) ? was.since() : now;
            after.add(new Checkpoint.HeldBack(t.path(), t.size(), t.mtime(), e.reason(), since));
        }
        if (interrupted) {
            before.values().stream().filter(h -> !heldBack.containsKey(h.path()) && !released.contains(h.path()))
                    .forEach(after::add);
        }
        after.sort(Comparator.comparing(Checkpoint.HeldBack::path));
        return after;
    }

    /**
     * Warns about the parts held back unchanged for longer than the profile allows: a
     * collector that died half way through a file leaves one that no run will ever publish.
     */
    void warnAboutStaleParts(List<Checkpoint.HeldBack> held, Instant now) {
        Duration limit = profile.parquetParts().warnAfter();
        if (limit.isZero()) {
            return;
        }
        List<Checkpoint.HeldBack> stale = held.stream().filter(h -> !h.since().plus(limit).isAfter(now)).toList();
        if (stale.isEmpty()) {
            return;
        }
        String named = stale.stream().limit(3).map(h -> h.path() + " (" + h.reason() + ", unchanged since " + h.since() + ")")
                .collect(Collectors.joining(", "));
        listener.warning(stale.size() + (stale.size() == 1 ? " Parquet part has" : " Parquet parts have")
                + " been held back unchanged for " + limit.toHours() + " h or more: " + named
                + (stale.size() > 3 ? " and " + (stale.size() - 3) + " more" : "")
                + "; the collector may have stopped writing " + (stale.size() == 1 ? "it" : "them")
                + ": finish or remove " + (stale.size() == 1 ? "it" : "them")
                + " on the collector, or leave such files out of parquet_patterns");
    }

    /**
     * Adds the rows of the parts this run published to the profile's row cache, read from
     * their footers as they were copied, so that stats and the metrics need not read them
     * again. A published file keeps the remote's mtime (with {@code -t}) only; an object
     * store's listing gives none, so its entries hold by size.
     */
    void recordRows() {
        if (publishedRows.isEmpty()) {
            return;
        }
        RowCache cache = RowCache.load(RowCache.fileFor(profile.checkpointFile()));
        addRowsTo(cache);
        try {
            cache.save();
        } catch (IOException e) {
            listener.warning("cannot record the rows of the published Parquet parts in "
                    + RowCache.fileFor(profile.checkpointFile()) + ": " + e.getMessage() + "; stats reads their footers instead");
        }
    }

    /** Puts the rows of the parts this run published into {@code cache}. */
    void addRowsTo(RowCache cache) {
        publishedRows.forEach((path, e) -> cache.put(path, e[0], e[1], e[2]));
    }
}
