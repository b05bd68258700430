package io.quantsinfra.lake.retention;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.state.RowCache;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes {@link Stats} from the lake's metadata, read through its {@link LakeStore}: one pass
 * over the profile's files, and the expired directories once more. Rows come from the Parquet
 * parts' footers, each read once and then remembered in the profile's {@link RowCache}.
 */
public final class LakeStats {
    private LakeStats() {
    }

    /**
     * What {@code store} holds now, with the checkpoint as stored.
     *
     * @throws LakeException of kind {@code LOCAL_IO} when the lake cannot be read
     */
    public static Stats of(Profile profile, LakeStore store, Checkpoint checkpoint, Retention retention) {
        LocalDate earliest = null;
        LocalDate latest = null;
        List<String> expired = new ArrayList<>();
        long expiredBytes = 0;
        LakeRows.Tally all = new LakeRows.Tally(0, 0, 0, new TreeMap<>(), 0);
        boolean exists;
        try {
            exists = store.exists();
            if (exists) {
                all = counted(profile, store, rowCache(profile));
                for (String name : store.topDirectories()) {
                    Optional<LocalDate> date = Retention.dateOf(name);
                    if (date.isPresent()) {
                        earliest = earliest == null || date.get().isBefore(earliest) ? date.get() : earliest;
                        latest = latest == null || date.get().isAfter(latest) ? date.get() : latest;
                    }
                    if (retention.isExpired(name)) {
                        expired.add(name);
                        expiredBytes += store.usage(name).bytes();
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, store.location(), "cannot read " + store.location()
                    + ": " + e.getMessage(), "check that the lake is readable by this user", e);
        }
        return new Stats(profile.name(), store.location(), profile.source().user() + "@" + profile.source().host() + ":"
                + profile.source().remoteRoot(), exists, all.bytes(), all.files(), Optional.ofNullable(earliest),
                Optional.ofNullable(latest), checkpoint, profile.retentionDays(), retention.cutoff(), expired, expiredBytes,
                all.rows(), all.rowsByDate(), all.partsUnread());
    }

    /**
     * The profile's row cache as stored; empty, and never read, when the profile has no Parquet
     * patterns: a lake of many files then pays nothing for it.
     */
    public static RowCache rowCache(Profile profile) {
        Path file = RowCache.fileFor(profile.checkpointFile());
        return profile.parquetParts().patterns().isEmpty() ? RowCache.empty(file) : RowCache.load(file);
    }

    /**
     * Counts the profile's files, bytes and rows, with the rows {@code cache} holds, and saves what
     * was read: a cache that cannot be saved only costs the same reads next time.
     */
    private static LakeRows.Tally counted(Profile profile, LakeStore store, RowCache cache) throws IOException {
        LakeRows.Tally tally = LakeRows.count(profile.parquetParts(), store, cache);
        try {
            cache.save();
        } catch (IOException e) {
            // e.g. the checkpoint directory does not exist yet: nothing is lost but time
        }
        return tally;
    }

    /**
     * {@code checkpoint} with what the profile's part of the lake holds now, for the metrics file;
     * left as it was, with a warning, if it cannot be read.
     *
     * @param rows the profile's row cache (see {@link #rowCache}), perhaps with rows a sync just
     *             recorded; saved with what the count adds
     */
    public static Checkpoint withLocalLake(Checkpoint checkpoint, Profile profile, LakeStore store, RowCache rows,
                                           SyncListener listener) {
        try {
            LakeRows.Tally tally = counted(profile, store, rows); // a lake not created yet holds nothing
            return checkpoint.withLocalLake(new Checkpoint.LocalLake(tally.files(), tally.bytes(), tally.rows()));
        } catch (IOException | LakeException e) {
            listener.warning("cannot measure the lake for the metrics file: " + e.getMessage());
            return checkpoint;
        }
    }
}
