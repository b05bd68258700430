package io.quantsinfra.lake.retention;

import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes the expired dated directories directly under a profile directory, through its
 * {@link LakeStore}. Symlinks are never followed or deleted through (a top-level symlink is left
 * alone; links inside an expired directory are deleted as links), names without a valid date are
 * kept, and nothing outside the profile directory is touched.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** Finds (and unless {@code dryRun}, deletes) the expired directories of {@code store}. */
    public static CleanupReport run(String profile, LakeStore store, Retention retention, boolean dryRun) {
        List<CleanupReport.Expired> expired = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<PathError> errors = new ArrayList<>();
        long freed = 0;
        if (retention.cutoff().isPresent()) {
            List<String> dirs = List.of();
            try {
                dirs = store.topDirectories();
            } catch (IOException e) {
                errors.add(new PathError("", "cannot list " + store.location() + ": " + e.getMessage()));
            }
            for (String name : dirs) {
                Optional<LocalDate> date = Retention.dateOf(name);
                if (date.isEmpty()) {
                    unknown.add(name);
                } else if (retention.isExpired(name)) {
                    try {
                        long bytes = dryRun ? store.usage(name).bytes() : store.deleteTree(name);
                        expired.add(new CleanupReport.Expired(name, date.get(), bytes));
                        freed += bytes;
                    } catch (IOException e) {
                        errors.add(new PathError(name, "cannot delete " + name + " in " + store.location() + ": "
                                + e.getMessage()));
                    }
                }
            }
        }
        return new CleanupReport(profile, retention.days(), retention.cutoff(), expired, unknown, freed, dryRun, errors);
    }
}
