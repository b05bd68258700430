package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.RsyncOptions;
import io.quantsinfra.lake.remote.RemoteFs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pure decision step: what to do with each remote entry and its local counterpart, giving a
 * reason for every action. {@link Planning} applies it directory by directory. It touches
 * neither the network nor the disk.
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
     * Starts planning one sync: the plan is then made directory by directory, as both trees
     * are walked.
     *
     * @param partials partial downloads recorded in the checkpoint, by path
     */
    public Planning begin(Map<String, Checkpoint.Partial> partials) {
        return new Planning(this, profile, new DeletionPlanner(profile.deleteMode(), retention), partials);
    }

    /** Why the file {@code r} is skipped as too young to copy, if it is. */
    Optional<String> tooYoung(RemoteEntry r) {
        long age = now.getEpochSecond() - r.mtime();
        if (profile.minFileAgeSeconds() > 0 && age < profile.minFileAgeSeconds()) {
            return Optional.of("modified " + age + " s ago, younger than min_file_age_seconds " + profile.minFileAgeSeconds());
        }
        return Optional.empty();
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
    Optional<String> transferReason(RemoteEntry r, LocalEntry l) {
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
    long staged(RemoteEntry r, LocalEntry l, LocalListing local) {
        if (profile.writesInPlace(r.path())) {
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
    SyncPlan.Transfer transfer(RemoteEntry r, long staged, String reason, Map<String, Checkpoint.Partial> partials) {
        if (!rsync.partial() || staged <= 0 || staged > r.size() || !resumable(r.size())) {
            return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), 0, reason);
        }
        Checkpoint.Partial p = partials.get(r.path());
        if (p != null && p.remoteSize() == r.size() && p.remoteMtime() == r.mtime()) {
            return new SyncPlan.Transfer(r.path(), r.size(), r.mtime(), r.permissions(), staged,
                    "resume at offset " + staged + " (" + reason + ")");
        }
        if (p == null && !profile.writesInPlace(r.path())) {
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
     *
     * @param remote the type of a remote entry by path, empty where the remote has none
     * @param local  the type of the local entry at a remote directory's path, empty where it is a
     *               directory or missing
     */
    Optional<String> linkProblem(RemoteEntry r, Function<String, Optional<EntryType>> remote,
                                 Function<String, Optional<EntryType>> local) {
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
            Optional<EntryType> e = remote.apply(through);
            if (e.equals(Optional.of(EntryType.SYMLINK))) {
                return Optional.of(link + " goes through the symlink " + through
                        + ", so where it leads cannot be checked");
            }
            if (!e.equals(Optional.of(EntryType.DIRECTORY))) {
                return Optional.of(link + " goes through " + through
                        + ", which is not a directory of the mirrored tree");
            }
            Optional<EntryType> l = local.apply(through);
            if (l.isPresent()) {
                return Optional.of(link + " goes through " + through + ", which is a " + describe(l.get())
                        + " in the local tree");
            }
        }
        return Optional.empty();
    }

    static String describe(EntryType type) {
        return switch (type) {
            case FILE -> "file";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symlink";
            default -> "special file";
        };
    }
}
