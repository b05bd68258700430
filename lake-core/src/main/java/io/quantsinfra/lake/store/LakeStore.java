package io.quantsinfra.lake.store;

import io.quantsinfra.lake.DiskSpace;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One profile's part of the lake, as a sync reads and writes it: list, stage, publish, delete.
 * Paths are relative to the profile's directory, with {@code /} between names. A sync writes the
 * lake only through this interface, so that another destination (an object store) can take the
 * place of {@link LocalStore}, the local directory tree. Retention's cleanup and stats read and
 * delete through it too.
 *
 * <p>Publishing is in two steps: {@link #stage} opens a file whose bytes readers cannot see yet;
 * {@link StagedFile#publish} makes it visible, whole, under its final name.
 */
public interface LakeStore extends AutoCloseable {
    /** Where the profile's files are, as messages name it. */
    String location();

    /**
     * Refuses a profile directory that could lead writes outside the lake, e.g. one that is,
     * or passes through, a symlink.
     *
     * @throws LakeException of kind {@code LOCAL_IO}, naming the cause and the fix
     */
    void requireSafeRoot();

    /**
     * Lists one directory of the profile's part of the lake: its entries the filter includes,
     * sorted by path, and the bytes of its staged files by path. Expired dated directories are
     * left out: cleanup removes them. A directory the lake does not have lists empty.
     *
     * @param relative the directory, empty for the profile's directory itself
     * @throws IOException when the directory cannot be read
     */
    LocalListing listDirectory(String relative, PathFilter filter, Retention retention) throws IOException;

    /** Bytes that may still be written, as {@code space} measures them. */
    long usableBytes(DiskSpace space) throws IOException;

    /** Creates the directory {@code relative} and any missing parents. */
    void createDirectory(String relative) throws IOException;

    /** Replaces whatever is at {@code relative} by a symlink to {@code target}. */
    void createLink(String relative, String target) throws IOException;

    /**
     * Deletes a file, link or empty directory; never follows a link.
     *
     * @return false when its parent is a link, so nothing was deleted through it
     * @throws java.nio.file.DirectoryNotEmptyException for a directory that still holds files
     */
    boolean delete(String relative) throws IOException;

    /**
     * Deletes files at once, as {@link #delete} deletes each; an object store sends them in
     * batches (S3's DeleteObjects takes 1,000 keys).
     *
     * @return the paths deleted, and why each other one was not
     */
    default Deleted deleteFiles(List<String> relatives) {
        List<String> deleted = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (String relative : relatives) {
            try {
                if (delete(relative)) {
                    deleted.add(relative);
                }
            } catch (IOException e) {
                failed.put(relative, e.getMessage());
            }
        }
        return new Deleted(deleted, failed);
    }

    /**
     * What {@link #deleteFiles} did.
     *
     * @param deleted the paths deleted
     * @param failed  why each path that failed was not, by path
     */
    record Deleted(List<String> deleted, Map<String, String> failed) {
        /** Copies both so the record stays immutable. */
        public Deleted {
            deleted = List.copyOf(deleted);
            failed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        }
    }

    /** Sets the modification time of a directory, in seconds since the epoch, if it is one. */
    void setDirectoryTime(String relative, long mtime) throws IOException;

    /**
     * Opens the staged file of {@code relative} for writing. {@code resumeFrom} 0 starts afresh;
     * otherwise staged bytes up to it are kept, or none if fewer are there:
     * {@link StagedFile#size()} then says where to go on.
     *
     * @param source the remote file's size and mtime as listed, which a store may keep beside the
     *               file (an object store has no mtime of its own)
     */
    StagedFile stage(String relative, Source source, long resumeFrom) throws StoreWriteException;

    /**
     * The remote file a staged file copies, as listed.
     *
     * @param size  bytes
     * @param mtime modification time in epoch seconds
     */
    record Source(long size, long mtime) {
    }

    /** Whether bytes of {@code relative} are staged. */
    boolean isStaged(String relative);

    /** Removes the staged bytes of {@code relative}, if any. */
    void discardStaged(String relative) throws IOException;

    /** Where the staged bytes of {@code relative} are, as messages name them. */
    String stagedLocation(String relative);

    /**
     * Drops the staged data of every file but those of {@code keep}, the partial files the
     * checkpoint goes on to record, so that nothing staged is left that no run will resume. The
     * local store leaves this to its listing: a staging file is resumed or replaced when its
     * file comes again.
     */
    default void dropStagedExcept(Set<String> keep) throws IOException {
    }

    /**
     * Keeps other machines from writing the profile's part of the lake until the claim is
     * closed, where the store can: an object store that honours conditional writes holds a lease
     * in the bucket. The lock file in {@code checkpoint_dir} keeps out the runs of this machine
     * either way; a store that cannot claim returns {@link Claim#NONE}.
     *
     * @param clock gives the time a lease runs until
     * @throws LakeException of kind {@code LOCKED} while another machine holds the claim
     */
    default Claim claim(Clock clock) {
        return Claim.NONE;
    }

    /** What {@link #claim} holds; closing it gives the claim back. */
    interface Claim extends AutoCloseable {
        /** The claim of a store that cannot keep other machines out. */
        Claim NONE = () -> { };

        @Override
        void close();
    }

    /** Ends the run's use of the store, giving back what its unfinished files still hold. */
    @Override
    default void close() {
    }

    /** Whether the store can hold symlinks; an object store cannot, so remote links are skipped. */
    boolean holdsLinks();

    /** Whether the profile's directory exists at all. */
    boolean exists() throws IOException;

    /**
     * The names of the directories directly under the profile's directory, sorted; links, staging
     * and partial directories are not among them.
     */
    List<String> topDirectories() throws IOException;

    /**
     * The published files under the directory {@code relative} (empty for the whole profile) and
     * their bytes; staged bytes are not counted, links are not followed. A directory the lake does
     * not have holds nothing.
     */
    default Usage usage(String relative) throws IOException {
        long[] counts = new long[2];
        eachFile(relative, f -> {
            counts[0]++;
            counts[1] += f.size();
        });
        return new Usage(counts[0], counts[1]);
    }

    /**
     * Hands each published file under the directory {@code relative} (empty for the whole
     * profile) to {@code visitor}, in no set order; staged bytes are not files, links are not
     * followed, and a directory the lake does not have holds none.
     */
    void eachFile(String relative, Consumer<StoredFile> visitor) throws IOException;

    /**
     * A published file as the store lists it.
     *
     * @param path  relative to the profile's directory, {@code /}-separated
     * @param size  its bytes
     * @param mtime its modification time in epoch seconds; empty where the listing gives only the
     *              time the store wrote it (an object store), which says nothing of its source
     */
    record StoredFile(String path, long size, OptionalLong mtime) {
    }

    /**
     * Reads {@code length} bytes at {@code position} of the published file {@code relative},
     * never through a link.
     *
     * @throws IOException if they cannot be read, or the file ends first
     */
    ByteBuffer read(String relative, long position, int length) throws IOException;

    /**
     * Files and their bytes.
     *
     * @param files how many
     * @param bytes their sizes added up
     */
    record Usage(long files, long bytes) {
    }

    /**
     * Deletes the directory {@code relative} and everything in it, links as links, never
     * through one.
     *
     * @return the bytes freed
     */
    long deleteTree(String relative) throws IOException;

    /**
     * The error that stops the whole run, if {@code e} is one (a full disk, a lake this user may
     * not write), rather than a failure of one file.
     *
     * @param doing what was being done, e.g. "writing /data/lake/p/.a.lake-part"
     */
    Optional<LakeException> stopping(IOException e, String doing);
}
