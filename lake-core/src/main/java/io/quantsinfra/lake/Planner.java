package io.quantsinfra.lake;

import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.RsyncOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure decision step: merges the remote and local listings into a {@link SyncPlan}, giving
 * a reason for every action. It touches neither the network nor the disk.
 */
final class Planner {
    private final Profile profile;
    private final RsyncOptions rsync;
    private final Instant now;

    /**
     * @param profile the profile, for its flags and file-age rule
     * @param now     the time young files are measured against
     */
    Planner(Profile profile, Instant now) {
        this.profile = profile;
        this.rsync = profile.rsync();
        this.now = now;
    }

    /**
     * Plans one sync.
     *
     * @param remote   the remote tree
     * @param local    the local tree
     * @param partials partial downloads recorded in the checkpoint, by path
     */
    SyncPlan plan(RemoteListing remote, LocalListing local, Map<String, Checkpoint.Partial> partials) {
        List<SyncPlan.Transfer> transfers = new ArrayList<>();
        List<SyncPlan.Directory> directories = new ArrayList<>();
        List<SyncPlan.Link> links = new ArrayList<>();
        List<SyncPlan.Skip> skips = new ArrayList<>(remote.skips());
        List<PathError> errors = new ArrayList<>(remote.errors());
        long files = 0;
        long bytes = 0;
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
                    transferReason(r, l).ifPresent(reason -> transfers.add(transfer(r, l, reason, local, partials)));
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

        List<SyncPlan.Deletion> deletions = new ArrayList<>();
        if (rsync.delete()) {
            for (LocalEntry l : local.entries().values()) {
                if (!remote.entries().containsKey(l.path())) {
                    deletions.add(new SyncPlan.Deletion(l.path(), l.type(), "not on the remote"));
                }
            }
            // Children sort after their parent; deleting in reverse order empties a directory first.
            deletions.sort(Comparator.comparing(SyncPlan.Deletion::path).reversed());
        }
        Optional<String> blocked = deletions.isEmpty() ? Optional.empty() : deletionGuard(remote, local, errors, deletions.size());
        return new SyncPlan(transfers, directories, links, deletions, skips, remote.expired(), errors, blocked, files, bytes);
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

    /** A transfer, resuming from a partial download when the checkpoint says the remote is unchanged. */
    private SyncPlan.Transfer transfer(RemoteEntry r, LocalEntry l, String reason, LocalListing local,
                                       Map<String, Checkpoint.Partial> partials) {
        // With --inplace the partial data is the final file itself.
        Long held = !rsync.inplace() ? local.partialBytes().get(r.path())
                : l != null && l.type() == EntryType.FILE ? Long.valueOf(l.size()) : null;
        Checkpoint.Partial p = partials.get(r.path());
        if (rsync.partial() && held != null && held > 0 && p != null
                && p.remoteSize() == r.size() && p.remoteMtime() == r.mtime() && held <= r.size()) {
            return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), held,
                    "resume at offset " + held + " (" + reason + ")");
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

    private Optional<String> deletionGuard(RemoteListing remote, LocalListing local, List<PathError> errors, int count) {
        if (!errors.isEmpty()) {
            return Optional.of(errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + " while listing; nothing is deleted after an incomplete listing");
        }
        if (remote.rootEmpty() && !local.entries().isEmpty() && !profile.allowEmptyRemote()) {
            return Optional.of("the remote root " + profile.source().remoteRoot() + " lists empty while "
                    + local.entries().size() + " local entries exist; refusing to delete them (an unmounted source"
                    + " must not wipe the lake). Set allow_empty_remote: true if this is intended");
        }
        if (rsync.maxDelete().isPresent() && count > rsync.maxDelete().getAsInt()) {
            return Optional.of(count + " deletions exceed --max-delete=" + rsync.maxDelete().getAsInt()
                    + "; nothing is deleted");
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
