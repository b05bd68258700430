package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.DiskSpace;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.durability.FileSystemSync;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The changes a sync makes to the lake's tree around its transfers: the free-space check before
 * the first byte, the new directories, then the symlinks, the deletions, directory mtimes and
 * the durability of the renames once the files are in.
 */
final class TreeChanges {
    private final Profile profile;
    private final LakeStore store;
    private final SyncListener listener;
    private final Consumer<PathError> failures;

    /** @param failures hears each path that failed on its own; the run goes on */
    TreeChanges(Profile profile, LakeStore store, SyncListener listener, Consumer<PathError> failures) {
        this.profile = profile;
        this.store = store;
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
            usable = store.usableBytes(diskSpace);
        } catch (IOException e) {
            listener.warning("cannot measure free space under " + store.location() + ": " + e.getMessage());
            return;
        }
        long have = Math.max(0, usable - profile.diskReserveBytes());
        if (need > have) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, store.location(),
                    "not enough disk space: need " + Units.bytes(need) + ", have " + Units.bytes(have) + " on "
                            + store.location() + " (keeping disk_reserve_mb " + Units.bytes(profile.diskReserveBytes())
                            + " free); nothing was transferred",
                    "free space, or lower retention_days so cleanup removes more");
        }
    }

    /** Creates the plan's new directories; a lake this user may not write stops the run. */
    void createDirectories(SyncPlan plan) {
        for (String dir : plan.directoriesToCreate()) {
            try {
                store.createDirectory(dir);
            } catch (IOException e) {
                Optional<LakeException> stop = store.stopping(e, "creating the directory " + dir);
                if (stop.isPresent()) {
                    throw stop.get();
                }
                failures.accept(new PathError(dir, "cannot create directory " + dir + ": " + e.getMessage()));
            }
        }
    }

    /** Recreates the plan's symlinks, never writing through one. */
    void createLinks(SyncPlan plan) {
        for (SyncPlan.Link link : plan.links()) {
            try {
                store.createLink(link.path(), link.target());
            } catch (IOException e) {
                failures.accept(new PathError(link.path(), "cannot create symlink " + link.path() + ": " + e.getMessage()));
            }
        }
    }

    /**
     * Deletes the plan's deletions, never through a link; returns how many went. The files
     * between two directories go as one batch, which an object store deletes in few requests.
     */
    long delete(SyncPlan plan) {
        long deleted = 0;
        List<String> files = new ArrayList<>();
        for (SyncPlan.Deletion d : plan.deletions()) {
            if (d.type() != EntryType.DIRECTORY) {
                files.add(d.path());
                continue;
            }
            deleted += deleteFiles(files);
            try {
                if (store.delete(d.path())) {
                    deleted++;
                    listener.deleted(d.path());
                }
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                listener.warning("kept directory " + d.path() + ": it still holds excluded or partial files");
            } catch (IOException e) {
                failures.accept(new PathError(d.path(), "cannot delete " + d.path() + ": " + e.getMessage()));
            }
        }
        return deleted + deleteFiles(files);
    }

    /** Deletes a batch of files and empties it; returns how many went. */
    private long deleteFiles(List<String> files) {
        if (files.isEmpty()) {
            return 0;
        }
        LakeStore.Deleted done = store.deleteFiles(files);
        done.deleted().forEach(listener::deleted);
        done.failed().forEach((path, why) -> failures.accept(new PathError(path, "cannot delete " + path + ": " + why)));
        files.clear();
        return done.deleted().size();
    }

    /** With -t, directories get the remote mtime after their content was written. */
    void setDirectoryTimes(SyncPlan plan) {
        if (!profile.rsync().preserveTimes()) {
            return;
        }
        for (SyncPlan.Directory dir : plan.directories()) {
            try {
                store.setDirectoryTime(dir.path(), dir.mtime());
            } catch (IOException e) {
                listener.warning("cannot set the mtime of " + dir.path() + ": " + e.getMessage());
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
