package io.quantsinfra.lake.retention;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Computes {@link Stats} in a single pass over the profile directory, reading metadata only. */
public final class LakeStats {
    private LakeStats() {
    }

    public static Stats of(Profile profile, Checkpoint checkpoint, Retention retention) {
        Path root = profile.localDir();
        Walk walk = new Walk(root, profile.rsync().partialDir(), retention);
        boolean exists = Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS);
        if (exists) {
            try {
                Files.walkFileTree(root, walk);
            } catch (IOException e) {
                throw new LakeException(LakeException.Kind.LOCAL_IO, root.toString(), "cannot read " + root + ": " + e.getMessage(),
                        "check that the lake directory is readable by this user", e);
            }
        }
        return new Stats(profile.name(), root, profile.source().user() + "@" + profile.source().host() + ":"
                + profile.source().remoteRoot(), exists, walk.bytes, walk.files, Optional.ofNullable(walk.earliest),
                Optional.ofNullable(walk.latest), checkpoint, profile.retentionDays(), retention.cutoff(), walk.expired,
                walk.expiredBytes);
    }

    /**
     * {@code checkpoint} with what the profile directory holds now, for the metrics file; left
     * as it was, with a warning, if the directory cannot be read.
     */
    public static Checkpoint withLocalLake(Checkpoint checkpoint, Profile profile, Retention retention, SyncListener listener) {
        try {
            Stats stats = of(profile, checkpoint, retention);
            return checkpoint.withLocalLake(new Checkpoint.LocalLake(stats.files(), stats.dataBytes()));
        } catch (LakeException e) {
            listener.warning("cannot measure the local lake for the metrics file: " + e.getMessage());
            return checkpoint;
        }
    }

    /** The visitor that gathers the numbers. */
    private static final class Walk extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Optional<String> partialDir;
        private final Retention retention;
        long bytes;
        long files;
        LocalDate earliest;
        LocalDate latest;
        final List<String> expired = new ArrayList<>();
        long expiredBytes;
        private boolean inExpired;

        Walk(Path root, Optional<String> partialDir, Retention retention) {
            this.root = root;
            this.partialDir = partialDir;
            this.retention = retention;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            if (NameRules.isPartialDir(name, partialDir)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (dir.getParent().equals(root)) {
                Optional<LocalDate> date = Retention.dateOf(name);
                date.ifPresent(d -> {
                    earliest = earliest == null || d.isBefore(earliest) ? d : earliest;
                    latest = latest == null || d.isAfter(latest) ? d : latest;
                });
                inExpired = retention.isExpired(name);
                if (inExpired) {
                    expired.add(name);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !NameRules.isStagingName(file.getFileName().toString())) {
                files++;
                bytes += attrs.size();
                if (inExpired && !file.getParent().equals(root)) {
                    expiredBytes += attrs.size();
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (dir.getParent() != null && dir.getParent().equals(root)) {
                inExpired = false;
            }
            return FileVisitResult.CONTINUE;
        }
    }
}
