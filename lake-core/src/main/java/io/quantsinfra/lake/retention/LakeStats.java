package io.quantsinfra.lake.retention;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes {@link Stats} from the lake's metadata, read through its {@link LakeStore}: one pass
 * over the profile's files, and the expired directories once more.
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
        LakeStore.Usage all = new LakeStore.Usage(0, 0);
        boolean exists;
        try {
            exists = store.exists();
            if (exists) {
                all = store.usage("");
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
                Optional.ofNullable(latest), checkpoint, profile.retentionDays(), retention.cutoff(), expired, expiredBytes);
    }

    /**
     * {@code checkpoint} with what the profile's part of the lake holds now, for the metrics file;
     * left as it was, with a warning, if it cannot be read.
     */
    public static Checkpoint withLocalLake(Checkpoint checkpoint, Profile profile, LakeStore store, Retention retention,
                                           SyncListener listener) {
        try {
            LakeStore.Usage usage = store.usage(""); // a lake not created yet holds nothing
            return checkpoint.withLocalLake(new Checkpoint.LocalLake(usage.files(), usage.bytes()));
        } catch (IOException | LakeException e) {
            listener.warning("cannot measure the lake for the metrics file: " + e.getMessage());
            return checkpoint;
        }
    }
}
