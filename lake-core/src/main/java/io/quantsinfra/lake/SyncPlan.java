package io.quantsinfra.lake;

import java.util.List;
import java.util.Optional;

/**
 * What a sync will do and why, computed from the remote and local listings before anything is
 * changed. {@code --dry-run} prints it and stops.
 *
 * @param transfers       files to download, in path order
 * @param directories     the remote directories; those missing locally are created
 * @param links           symlinks to recreate
 * @param deletions       local entries to delete ({@code --delete}), files before their directories
 * @param kept            local top-level directories the remote no longer has that {@code --delete}
 *                        keeps (the collector purged them; retention decides), each with its rule
 * @param skips           remote entries left alone, each with its reason
 * @param expired         remote top-level directories older than the retention window: neither
 *                        listed further nor transferred
 * @param errors          problems found while listing; any error blocks deletion
 * @param deletionBlocked why no deletion will happen although some were planned, if so
 * @param remoteFiles     regular files in the remote tree after filters
 * @param remoteBytes     their total size
 * @param bytesToWrite    bytes the transfers add to the local disk: their sizes, less what their
 *                        staging files already hold (kept for resuming, or truncated and rewritten)
 */
public record SyncPlan(
        List<Transfer> transfers,
        List<Directory> directories,
        List<Link> links,
        List<Deletion> deletions,
        List<Kept> kept,
        List<Skip> skips,
        List<String> expired,
        List<PathError> errors,
        Optional<String> deletionBlocked,
        long remoteFiles,
        long remoteBytes,
        long bytesToWrite) {

    /** Copies every list so the plan is immutable; {@link PlannedTransfers} already is, and stays compact. */
    public SyncPlan {
        transfers = transfers instanceof PlannedTransfers planned ? planned : List.copyOf(transfers);
        directories = List.copyOf(directories);
        links = List.copyOf(links);
        deletions = List.copyOf(deletions);
        kept = List.copyOf(kept);
        skips = List.copyOf(skips);
        expired = List.copyOf(expired);
        errors = List.copyOf(errors);
    }

    /** Bytes the transfers will move, resumed offsets excluded. */
    public long bytesToTransfer() {
        return transfers.stream().mapToLong(t -> t.size() - t.resumeFrom()).sum();
    }

    /** This plan without its links, for a lake that cannot hold them. */
    public SyncPlan withoutLinks() {
        return new SyncPlan(transfers, directories, List.of(), deletions, kept, skips, expired, errors, deletionBlocked,
                remoteFiles, remoteBytes, bytesToWrite);
    }

    /** Whether nothing needs doing. */
    public boolean isEmpty() {
        return transfers.isEmpty() && directoriesToCreate().isEmpty() && links.isEmpty() && deletions.isEmpty();
    }

    /**
     * One file to download.
     *
     * @param path        relative path
     * @param size        remote size at listing time
     * @param mtime       remote mtime at listing time, epoch seconds
     * @param permissions remote permission bits
     * @param resumeFrom  bytes already held locally that may be kept, once their tail is verified
     * @param reason      why it is transferred, e.g. "new file", "size differs (local 10, remote 20)"
     */
    public record Transfer(String path, long size, long mtime, int permissions, long resumeFrom, String reason) {
    }

    /**
     * One remote directory.
     *
     * @param path   relative path
     * @param mtime  remote mtime, epoch seconds, set locally after its content with {@code -t}
     * @param create whether it is missing locally
     */
    public record Directory(String path, long mtime, boolean create) {
    }

    /** The directories to create. */
    public List<String> directoriesToCreate() {
        return directories.stream().filter(Directory::create).map(Directory::path).toList();
    }

    /**
     * One symlink to recreate; its target stays inside the profile directory.
     *
     * @param path   relative path of the link
     * @param target the link's target as stored on the remote
     */
    public record Link(String path, String target) {
    }

    /**
     * One local entry to delete.
     *
     * @param path   relative path
     * @param type   what it is (a symlink is deleted itself, never followed)
     * @param reason why, e.g. "not on the remote"
     */
    public record Deletion(String path, EntryType type, String reason) {
    }

    /**
     * One local entry {@code --delete} leaves although the remote no longer has it.
     *
     * @param path   relative path of a top-level dated directory
     * @param reason the rule that keeps it, e.g. "the collector purged it: dated 2024-10-28, ..."
     */
    public record Kept(String path, String reason) {
    }

    /**
     * One remote entry left alone.
     *
     * @param path   relative path
     * @param reason why, e.g. "excluded by --exclude=*.tmp"
     */
    public record Skip(String path, String reason) {
    }
}
