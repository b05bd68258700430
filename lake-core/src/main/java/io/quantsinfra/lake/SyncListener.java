package io.quantsinfra.lake;

/**
 * Hears what a sync does while it runs. Every method has a no-op default, so an implementation
 * overrides only what it needs. Methods may be called from several worker threads at once.
 */
public interface SyncListener {
    /** A listener that ignores everything. */
    SyncListener NONE = new SyncListener() {
    };

    /** The run holds the profile's lock and has read its checkpoint, as the previous run left it. */
    default void started(Checkpoint previous) {
    }

    /** The plan is ready; nothing has been changed yet. */
    default void planned(SyncPlan plan) {
    }

    /** A file transfer starts, at {@code offset} when resuming. */
    default void fileStarted(String path, long size, long offset) {
    }

    /** {@code bytes} more bytes of {@code path} arrived. */
    default void bytesTransferred(String path, long bytes) {
    }

    /** A file was published under its final name. */
    default void fileDone(String path, long bytesTransferred) {
    }

    /**
     * A Parquet part was not published because it is not complete yet (its writer may still be
     * at it); its bytes wait for the next run, which tries again. Not an error.
     */
    default void fileHeldBack(String path, String reason) {
    }

    /** A file failed; the run goes on with the others. */
    default void fileFailed(PathError error) {
    }

    /** A local entry was deleted by {@code --delete}. */
    default void deleted(String path) {
    }

    /** The link dropped and was re-established. */
    default void reconnected(int attempt, String reason) {
    }

    /** Something the user should hear about that is not an error. */
    default void warning(String message) {
    }
}
