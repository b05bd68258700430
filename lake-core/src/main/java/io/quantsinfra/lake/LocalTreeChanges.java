package io.quantsinfra.lake;

import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.durability.FileSystemSync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The changes a sync makes to the local tree around its transfers: the free-space check before
 * the first byte, the new directories, then the symlinks, the deletions, directory mtimes and
 * the durability of the renames once the files are in. Nothing is written through a symlink.
 */
final class LocalTreeChanges {
    private final Profile profile;
    private final LocalLayout layout;
    private final SyncListener listener;
    private final Consumer<PathError> failures;

    /** @param failures hears each path that failed on its own; the run goes on */
    LocalTreeChanges(Profile profile, LocalLayout layout, SyncListener listener, Consumer<PathError> failures) {
        this.profile = profile;
        this.layout = layout;
        this.listener = listener;
        this.failures = failures;
    }

    /**
     * Refuses to start when the bytes to write do not fit, before anything is written. Bytes
     * already in staging files are not counted again: they are resumed, or truncated before
     * the file is fetched anew, so a run stopped by a full disk never blocks the next one.
     */
    void requireSpace(SyncPlan plan, DiskSpace diskSpace) {
        long need = plan.bytesToWrite();
        if (need == 0) {
            return;
        }
        long usable;
        try {
            usable = diskSpace.usableBytes(layout.root());
        } catch (IOException e) {
            listener.warning("cannot measure free space under " + layout.root() + ": " + e.getMessage());
            return;
        }
        long have = Math.max(0, usable - profile.diskReserveBytes());
        if (need > have) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, layout.root().toString(),
                    "not enough disk space: need " + Units.bytes(need) + ", have " + Units.bytes(have) + " on "
                            + layout.root() + " (keeping disk_reserve_mb " + Units.bytes(profile.diskReserveBytes())
                            + " free); nothing was transferred",
                    "free space, or lower retention_days so cleanup removes more");
        }
    }

    /** Creates the plan's new directories; a lake this user may not write stops the run. */
    void createDirectories(SyncPlan plan) {
        for (String dir : plan.directoriesToCreate()) {
            Path path = layout.target(dir);
            try {
                layout.ensureDirectory(path);
            } catch (IOException e) {
                Optional<LakeException> stop = LocalStorageErrors.stopping(e, layout.root(), "creating the directory " + path);
                if (stop.isPresent()) {
                    throw stop.get();
                }
                failures.accept(new PathError(dir, "cannot create directory " + path + ": " + e.getMessage()));
            }
        }
    }

    /** Recreates the plan's symlinks, never writing through one. */
    void createLinks(SyncPlan plan) {
        for (SyncPlan.Link link : plan.links()) {
            Path path = layout.target(link.path());
            try {
                layout.ensureDirectory(path.getParent());
                Files.deleteIfExists(path); // an old link or file: deleting never follows a link
                Files.createSymbolicLink(path, Path.of(link.target()));
            } catch (IOException e) {
                failures.accept(new PathError(link.path(), "cannot create symlink " + path + ": " + e.getMessage()));
            }
        }
    }

    /** Deletes the plan's deletions, never through a link; returns how many went. */
    long delete(SyncPlan plan) {
        long deleted = 0;
        for (SyncPlan.Deletion d : plan.deletions()) {
            Path path = layout.target(d.path());
            try {
                if (Files.isSymbolicLink(path.getParent())) {
                    continue; // never delete through a link
                }
                Files.deleteIfExists(path);
                deleted++;
                listener.deleted(d.path());
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                listener.warning("kept directory " + path + ": it still holds excluded or partial files");
            } catch (IOException e) {
                failures.accept(new PathError(d.path(), "cannot delete " + path + ": " + e.getMessage()));
            }
        }
        return deleted;
    }

    /** With -t, directories get the remote mtime after their content was written. */
    void setDirectoryTimes(SyncPlan plan) {
        if (!profile.rsync().preserveTimes()) {
            return;
        }
        for (SyncPlan.Directory dir : plan.directories()) {
            Path path = layout.target(dir.path());
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond() != dir.mtime()) {
                    Files.setLastModifiedTime(path, FileTime.from(dir.mtime(), TimeUnit.SECONDS));
                }
            } catch (IOException e) {
                listener.warning("cannot set the mtime of " + path + ": " + e.getMessage());
            }
        }
    }

    /**
     * Makes the renames of this run durable: one syncfs per file system where the files were
     * synced in batches, or else one fsync per touched directory, not per file.
     */
    void makeDurable(Optional<FileSystemSync> fsSync, Set<Path> touchedDirs) {
        if (fsSync.isPresent() && !touchedDirs.isEmpty()) {
            try {
                fsSync.get().sync(touchedDirs);
                return;
            } catch (IOException e) {
                listener.warning("cannot sync the lake's file system (" + e.getMessage()
                        + "); syncing each directory instead");
            }
        }
        for (Path dir : touchedDirs) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // not supported on this platform: the renames are atomic, only their durability is weaker
            }
        }
    }
}
