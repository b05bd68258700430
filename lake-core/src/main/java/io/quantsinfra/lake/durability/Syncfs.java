package io.quantsinfra.lake.durability;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link FileSystemSync} of Linux: one {@code syncfs(2)} per file system. The data
 * of many files goes to the disk in one sweep, behind one journal commit and one disk-cache flush,
 * where an {@code fdatasync} per file pays a commit and a flush each (bench/HISTORY.md has the
 * measurement).
 *
 * <p>The JDK cannot call syncfs, so it goes through JNA. Where that is not possible (not Linux, JNA
 * cannot load its native part) {@link #open()} says so and files are synced one by one instead.
 * Not thread-safe: one thread syncs.
 */
final class Syncfs implements FileSystemSync {
    /** The C library functions used, with errno reported as {@link LastErrorException}. */
    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int syncfs(int fd) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final int O_RDONLY = 0;

    private final LibC libc;
    /** An open descriptor per file system (by device number), and the device of each directory seen. */
    private final Map<Object, Integer> descriptors = new HashMap<>();
    private final Map<Path, Object> devices = new HashMap<>();

    private Syncfs(LibC libc) {
        this.libc = libc;
    }

    /** A syncfs caller, or empty where syncfs cannot be called. */
    static Optional<FileSystemSync> open() {
        if (!Platform.isLinux()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Syncfs(Native.load("c", LibC.class)));
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty(); // e.g. JNA's native library cannot be unpacked (a noexec temp directory)
        }
    }

    /** One syncfs per file system (a directory below the lake may be another mount). */
    @Override
    public void sync(Collection<Path> dirs) throws IOException {
        Map<Object, Path> toSync = new HashMap<>();
        for (Path dir : dirs) {
            Object device = devices.get(dir);
            if (device == null) {
                device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
                devices.put(dir, device);
            }
            toSync.putIfAbsent(device, dir);
        }
        for (Map.Entry<Object, Path> e : toSync.entrySet()) {
            Path dir = e.getValue();
            Integer fd = descriptors.get(e.getKey());
            if (fd == null) {
                fd = call(() -> libc.open(dir.toString(), O_RDONLY), "open " + dir);
                descriptors.put(e.getKey(), fd);
            }
            int descriptor = fd;
            call(() -> libc.syncfs(descriptor), "syncfs of the file system of " + dir);
        }
    }

    /** Closes the descriptors. */
    @Override
    public void close() {
        for (int fd : descriptors.values()) {
            try {
                libc.close(fd);
            } catch (LastErrorException e) {
                // nothing was written through it
            }
        }
        descriptors.clear();
    }

    /** A libc call that returns an int. */
    private interface Call {
        int run();
    }

    private static int call(Call c, String what) throws IOException {
        try {
            return c.run();
        } catch (LastErrorException e) {
            throw new IOException(what + " failed: " + e.getMessage(), e);
        }
    }
}
