package io.quantsinfra.lake.store;

import com.sun.jna.LastErrorException;
import io.quantsinfra.lake.durability.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * Sets a staged file's mtime with one {@code utimensat(2)} by path that never follows a link
 * ({@link Libc}). The JDK's own call stats the file for its access time, opens it, sets the times
 * through the descriptor and closes it again: four system calls per file where one does. Where
 * {@link Libc} is not bound, the JDK's call it is, not through a link either.
 */
final class FileTimes {
    /** {@code tv_nsec} that leaves a time as it is (the access time here). */
    private static final long UTIME_OMIT = (1L << 30) - 2;

    private FileTimes() {
    }

    /** Sets the modification time of {@code file}, not through a link, leaving its access time. */
    static void setModified(Path file, long seconds) throws IOException {
        if (!Libc.BOUND) {
            Files.getFileAttributeView(file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(seconds, TimeUnit.SECONDS), null, null);
            return;
        }
        try {
            Libc.utimensat(Libc.AT_FDCWD, Libc.path(file.toString()), new long[] {0, UTIME_OMIT, seconds, 0},
                    Libc.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw new IOException("cannot set the mtime of " + file + ": " + e.getMessage(), e);
        }
    }
}
