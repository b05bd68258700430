package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.RsyncOptions;
import io.quantsinfra.lake.remote.RemoteFs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure decision step: merges the remote and local listings into a {@link SyncPlan}, giving
 * a reason for every action. It touches neither the network nor the disk.
 */
public final class Planner {
    private final Profile profile;
    private final RsyncOptions rsync;
    private final Retention retention;
    private final Instant now;

    /**
     * @param profile   the profile, for its flags and file-age rule
     * @param retention dates the directories that deletion keeps for it
     * @param now       the time young files are measured against
     */
    public Planner(Profile profile, Retention retention, Instant now) {
        this.profile = profile;
        this.rsync = profile.rsync();
        this.retention = retention;
        this.now = now;
    }

    /**
     * Plans one sync.
     *
     * @param remote   the remote tree
     * @param local    the local tree
     * @param partials partial downloads recorded in the checkpoint, by path
     */
    public SyncPlan plan(RemoteListing remote, LocalListing local, Map<String, Checkpoint.Partial> partials) {
        List<SyncPlan.Transfer> transfers = new ArrayList<>();
        List<SyncPlan.Directory> directories = new ArrayList<>();
        List<SyncPlan.Link> links = new ArrayList<>();
        List<SyncPlan.Skip> skips = new ArrayList<>(remote.skips());
        List<PathError> errors = new ArrayList<>(remote.errors());
        long files = 0;
        long bytes = 0;
        long toWrite = 0;
        long youngest = now.getEpochSecond() - profile.minFileAgeSeconds();

        for (RemoteEntry r : remote.entries().values()) {
            LocalEntry l = local.entries().get(r.path());
            switch (r.type()) {
                case DIRECTORY -> {
                    if (l == null || l.type() == EntryType.DIRECTORY) {
                        directories.add(new SyncPlan.Directory(r.path(), r.mtime(), l == null));
                    } else {
                        errors.add(new PathError(r.path(), "a local " + describe(l.type())
                                + " is in the way of the remote directory; move it aside"));
                    }
                }
                case FILE -> {
                    files++;
                    bytes += r.size();
                    if (profile.minFileAgeSeconds() > 0 && r.mtime() > youngest) {
                        skips.add(new SyncPlan.Skip(r.path(), "modified " + (now.getEpochSecond() - r.mtime())
                                + " s ago, younger than min_file_age_seconds " + profile.minFileAgeSeconds()));
                        continue;
                    }
                    if (l != null && l.type() == EntryType.DIRECTORY) {
                        errors.add(new PathError(r.path(), "a local directory is in the way of the remote file; move it aside"));
                        continue;
                    }
                    Optional<String> reason = transferReason(r, l);
                    if (reason.isPresent()) {
                        long staged = staged(r, l, local);
                        transfers.add(transfer(r, staged, reason.get(), partials));
                        toWrite += Math.max(0, r.size() - staged);
                    }
                }
                case SYMLINK -> {
                    Optional<String> why = linkProblem(r, remote.entries(), local.entries());
                    if (why.isPresent()) {
                        skips.add(new SyncPlan.Skip(r.path(), why.get()));
                    } else if (l != null && l.type() == EntryType.DIRECTORY) {
                        errors.add(new PathError(r.path(), "a local directory is in the way of the remote symlink; move it aside"));
                    } else if (l == null || !l.linkTarget().equals(r.linkTarget())) {
                        links.add(new SyncPlan.Link(r.path(), r.linkTarget().orElseThrow()));
                    }
                }
                default -> skips.add(new SyncPlan.Skip(r.path(), "not a regular file, directory or symlink"));
            }
        }

        DeletionPlanner.Deletions deletions = rsync.delete()
                ? new DeletionPlanner(profile.deleteMode(), retention).plan(remote, local)
                : new DeletionPlanner.Deletions(List.of(), List.of(), 0);
        Optional<String> blocked = new DeletionGuard(profile).refusal(remote, errors, files, deletions);
        return new SyncPlan(transfers, directories, links, deletions.deletions(), deletions.kept(), skips, remote.expired(),
                errors, blocked, files, bytes, toWrite);
    }

    /**
     * Whether a file of {@code size} bytes keeps its partial data for a later run: files read whole
     * ({@link RemoteFs#GROUP_READ_MAX}) are fetched again from their start, which costs less than
     * verifying a partial's tail.
     */
    public static boolean resumable(long size) {
        return size >= RemoteFs.GROUP_READ_MAX;
    }

    /** Why the remote file must be transferred, or empty when the local copy is up to date. */
    private Optional<String> transferReason(RemoteEntry r, LocalEntry l) {
        if (l == null) {
            return Optional.of("new file");
        }
        if (l.type() == EntryType.SYMLINK) {
            return Optional.of("replaces a local symlink");
        }
        if (l.type() != EntryType.FILE) {
            return Optional.of("replaces a local " + describe(l.type()));
        }
        if (l.size() != r.size()) {
            return Optional.of("size differs (local " + l.size() + ", remote " + r.size() + ")");
        }
        // Without -t local mtimes are never set, so comparing them would transfer everything again.
        if (rsync.preserveTimes() && l.mtime() != r.mtime()) {
            return Optional.of("mtime differs (local " + Instant.ofEpochSecond(l.mtime()) + ", remote "
                    + Instant.ofEpochSecond(r.mtime()) + ")");
        }
        return Optional.empty();
    }

    /**
     * Bytes already on the local disk where {@code r} is written: its staging file, or with
     * {@code --inplace} the final file itself.
     */
    private long staged(RemoteEntry r, LocalEntry l, LocalListing local) {
        if (rsync.inplace()) {
            return l != null && l.type() == EntryType.FILE ? l.size() : 0;
        }
        return local.partialBytes().getOrDefault(NameRules.stagingRelative(r.path(), false, rsync.partialDir()), 0L);
    }

    /**
     * A transfer, resuming from the {@code staged} bytes when that is safe: the checkpoint says
     * the remote is unchanged since they were written, or, for a staging file the checkpoint does
     * not list (a run killed before it recorded it, or a disk too full to record it), their last
     * 64 KiB match the remote, as every resume checks first. Files read whole are never resumed.
     */
    private SyncPlan.Transfer transfer(RemoteEntry r, long staged, String reason, Map<String, Checkpoint.Partial> partials) {
        if (!rsync.partial() || staged <= 0 || staged > r.size() || !resumable(r.size())) {
            return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), 0, reason);
        }
        Checkpoint.Partial p = partials.get(r.path());
        if (p != null && p.remoteSize() == r.size() && p.remoteMtime() == r.mtime()) {
            return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), staged,
                    "resume at offset " + staged + " (" + reason + ")");
        }
        if (p == null && !rsync.inplace()) {
            return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), staged,
                    "resume at offset " + staged + " of a partial file the checkpoint does not list, once its tail"
                            + " matches (" + reason + ")");
        }
        return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), 0, reason);
    }

    /**
     * Why a remote symlink is not recreated, or empty when it may be. The target is walked from
     * the link's directory and may pass only through directories, of the remote tree and of the
     * local one: behind a symlink, ".." climbs from wherever that link leads, so a chain of links
     * that each look inside (or one left by an earlier run) could otherwise point anywhere.
     */
    private Optional<String> linkProblem(RemoteEntry r, Map<String, RemoteEntry> remote,
                                         Map<String, LocalEntry> local) {
        if (!rsync.symlinks()) {
            return Optional.of("symlink skipped (links are never followed; -l recreates safe ones)");
        }
        String target = r.linkTarget().orElse("");
        String link = "symlink to \"" + NameRules.printable(target) + "\"";
        if (target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0) {
            return Optional.of(link + " points outside the profile directory");
        }
        Optional<String> unstorable = NameRules.unstorable(target);
        if (unstorable.isPresent()) {
            return Optional.of(link + ": " + unstorable.get());
        }
        List<String> dir = new ArrayList<>(List.of(r.path().split("/")));
        dir.remove(dir.size() - 1);
        String[] parts = target.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (dir.isEmpty()) {
                    return Optional.of(link + " points outside the profile directory");
                }
                dir.remove(dir.size() - 1);
                continue;
            }
            dir.add(part);
            if (i == parts.length - 1) {
                break; // the last name is not passed through; it may be anything
            }
            String through = String.join("/", dir);
            RemoteEntry e = remote.get(through);
            if (e != null && e.type() == EntryType.SYMLINK) {
                return Optional.of(link + " goes through the symlink " + through
                        + ", so where it leads cannot be checked");
            }
            if (e == null || e.type() != EntryType.DIRECTORY) {
                return Optional.of(link + " goes through " + through
                        + ", which is not a directory of the mirrored tree");
            }
            LocalEntry l = local.get(through);
            if (l != null && l.type() != EntryType.DIRECTORY) {
                return Optional.of(link + " goes through " + through + ", which is a " + describe(l.type())
                        + " in the local tree");
            }
        }
        return Optional.empty();
    }

    private static String describe(EntryType type) {
        return switch (type) {
            case FILE -> "file";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symlink";
            default -> "special file";
        };
    }
}
