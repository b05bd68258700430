package io.quantsinfra.lake.store;

import io.quantsinfra.lake.LakeException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells the local failures that stop a whole run from those of one file: a full disk, or a lake
 * directory this user may not write, fails every later file too, so it is reported once as a
 * storage error (exit 5) instead of as each file's failure.
 */
final class LocalStorageErrors {
    private LocalStorageErrors() {
    }

    /** Whether {@code e} says the file system is full or over quota. */
    static boolean isDiskFull(IOException e) {
        return causes(e, "No space left on device") || causes(e, "Disk quota exceeded");
    }

    /** Whether {@code e} says this user may not write there, or the file system is read-only. */
    static boolean isUnwritable(IOException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AccessDeniedException) {
                return true;
            }
        }
        return causes(e, "Permission denied") || causes(e, "Read-only file system");
    }

    /**
     * The storage error that stops the run, if {@code e} is one.
     *
     * @param root  the profile directory, which the hints name
     * @param doing what was being written, e.g. "writing /data/lake/p/.a.lake-part"
     */
    static Optional<LakeException> stopping(IOException e, Path root, String doing) {
        if (isDiskFull(e)) {
            return Optional.of(new LakeException(LakeException.Kind.LOCAL_IO, root.toString(),
                    "disk full while " + doing + " (" + e.getMessage() + ")",
                    "free space on the file store of " + root + "; the next run resumes the partial files", e));
        }
        if (isUnwritable(e)) {
            return Optional.of(new LakeException(LakeException.Kind.LOCAL_IO, root.toString(),
                    "cannot write in the lake while " + doing + ": " + e.getMessage(),
                    "make " + root + " and everything below it writable by user " + System.getProperty("user.name")
                            + " (or mount its file system read-write)", e));
        }
        return Optional.empty();
    }

    private static boolean causes(IOException e, String text) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
