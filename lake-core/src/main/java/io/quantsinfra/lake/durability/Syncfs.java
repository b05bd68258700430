package io.quantsinfra.lake.durability;

import com.sun.jna.LastErrorException;
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
 * <p>The JDK cannot call syncfs, so it goes through {@link Libc}. Where that is not bound (not
 * 64-bit Linux, JNA cannot load its native part) {@link #open()} says so and files are synced one
 * by one instead. Not thread-safe: one thread syncs.
 */
final class Syncfs implements FileSystemSync {
    /** An open descriptor per file system (by device number), and the device of each directory seen. */
    private final Map<Object, Integer> descriptors = new HashMap<>();
    private final Map<Path, Object> devices = new HashMap<>();

    private Syncfs() {
    }

    /** A syncfs caller, or empty where syncfs cannot be called. */
    static Optional<FileSystemSync> open() {
        return Libc.BOUND ? Optional.of(new Syncfs()) : Optional.empty();
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
                fd = call(() -> Libc.open(Libc.path(dir.toString()), Libc.O_RDONLY, 0), "open " + dir);
                descriptors.put(e.getKey(), fd);
            }
            int descriptor = fd;
            call(() -> Libc.syncfs(descriptor), "syncfs of the file system of " + dir);
        }
    }

    /** Closes the descriptors. */
    @Override
    public void close() {
        for (int fd : descriptors.values()) {
            Libc.close(fd); // nothing was written through it: its result does not matter
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
