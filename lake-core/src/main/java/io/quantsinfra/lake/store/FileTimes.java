package io.quantsinfra.lake.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Sets a staged file's mtime with one {@code utimensat(2)} by path that never follows a link,
 * through JNA. The JDK's own call stats the file for its access time, opens it, sets the times
 * through the descriptor and closes it again: four system calls per file where one does. Where
 * JNA cannot load, or off 64-bit Linux, the JDK's call it is.
 */
final class FileTimes {
    /**
     * The C library function, bound by JNA's direct mapping: an interface's proxy converts its
     * arguments by reflection on every call, which cost more than the system call itself.
     * Loading this class binds it; errno comes back as {@link LastErrorException}.
     */
    private static final class LibC {
        static {
            Native.register(LibC.class, Platform.C_LIBRARY_NAME);
        }

        static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

        /** Loads the class, which binds the function or throws a {@link LinkageError}. */
        static boolean bind() {
            return true;
        }
    }

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@code tv_nsec} that leaves a time as it is (the access time here). */
    private static final long UTIME_OMIT = (1L << 30) - 2;

    /** Whether {@link LibC} is bound. */
    private final boolean direct;
    /** How the JDK turns a path into the bytes the kernel sees. */
    private final Charset pathBytes;

    private FileTimes(boolean direct) {
        this.direct = direct;
        this.pathBytes = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    }

    /** Loads the C library where it can be called this way. */
    static FileTimes load() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return new FileTimes(false);
        }
        try {
            return new FileTimes(LibC.bind());
        } catch (LinkageError | RuntimeException e) {
            return new FileTimes(false); // e.g. JNA's native part cannot be unpacked
        }
    }

    /** Sets the modification time of {@code file}, not through a link, leaving its access time. */
    void setModified(Path file, long seconds) throws IOException {
        if (!direct) {
            Files.setLastModifiedTime(file, FileTime.from(seconds, TimeUnit.SECONDS));
            return;
        }
        byte[] name = file.toString().getBytes(pathBytes);
        byte[] path = Arrays.copyOf(name, name.length + 1); // NUL-terminated
        try {
            LibC.utimensat(AT_FDCWD, path, new long[] {0, UTIME_OMIT, seconds, 0}, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw new IOException("cannot set the mtime of " + file + ": " + e.getMessage(), e);
        }
    }
}
