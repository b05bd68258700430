package io.quantsinfra.lake.durability;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * The C library calls the lake makes itself on 64-bit Linux: {@code syncfs}, which the JDK
 * cannot call, and those where the JDK's own way costs more than the call (the local store's
 * listings and mtimes). Bound by JNA's direct mapping when this class loads (an interface's proxy
 * converts its arguments by reflection on every call, which cost more than the calls themselves).
 * errno comes back as {@link LastErrorException}. Callers check {@link #BOUND} and otherwise use
 * the JDK, or do without.
 */
public final class Libc {
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int O_RDONLY = 0;
    /** How the JDK turns a path into the bytes the kernel sees. */
    private static final Charset NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    /** Whether the calls below are bound: 64-bit Linux, JNA's native part loaded, every function found. */
    public static final boolean BOUND = bind();

    private Libc() {
    }

    /** Loads this class, which binds the calls (or finds they cannot be), if nothing has yet. */
    public static void load() {
        // the class initializer does the work
    }

    private static boolean bind() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return false;
        }
        try {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false; // e.g. JNA's native part cannot be unpacked, or an old C library
        }
    }

    /** {@code utimensat(2)}. */
    public static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    /** {@code open(2)}. */
    public static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    /** {@code getdents64(2)}. */
    public static native long getdents64(int fd, byte[] buffer, long size) throws LastErrorException;

    /** {@code statx(2)}. */
    public static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] statx) throws LastErrorException;

    /** {@code syncfs(2)}. */
    public static native int syncfs(int fd) throws LastErrorException;

    /** {@code close(2)}. */
    public static native int close(int fd);

    /** {@code path} as the kernel sees it, NUL-terminated. */
    public static byte[] path(String path) {
        byte[] name = path.getBytes(NAMES);
        return Arrays.copyOf(name, name.length + 1);
    }

    /** A name the kernel gave, {@code length} bytes of {@code bytes} from {@code from}, as the JDK decodes it. */
    public static String name(byte[] bytes, int from, int length) {
        return new String(bytes, from, length, NAMES);
    }
}
