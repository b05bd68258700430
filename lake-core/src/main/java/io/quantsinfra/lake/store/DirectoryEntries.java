package io.quantsinfra.lake.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.durability.Libc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one local directory: each entry's name, type, size and mtime, links not followed. On
 * 64-bit x86 Linux it asks the kernel directly ({@link Libc}): {@code getdents64} for the names,
 * then one {@code statx} per name relative to the open directory. The JDK's stream makes a path
 * object per entry and its attribute read another object and a whole-path lookup, which cost
 * more than the system call itself on a lake of small files. Where the kernel cannot be asked
 * this way, or refuses anything, the JDK reads the directory, so its exceptions are the ones
 * callers see.
 */
final class DirectoryEntries {
    /** One entry of a directory. */
    record Entry(String name, EntryType type, long size, long mtime) {
    }

    private DirectoryEntries() {
    }

    /**
     * The entries of {@code dir}, in the order the file system gives them.
     *
     * @throws IOException when the directory cannot be read
     */
    static List<Entry> read(Path dir) throws IOException {
        if (Kernel.BOUND) {
            try {
                return Kernel.read(dir);
            } catch (LastErrorException e) {
                // the JDK reads it again and says why it cannot, in its own terms
            }
        }
        return readWithJdk(dir);
    }

    /** What {@link #read} gives, read by the JDK. */
    static List<Entry> readWithJdk(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                BasicFileAttributes a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                EntryType type = a.isSymbolicLink() ? EntryType.SYMLINK : a.isDirectory() ? EntryType.DIRECTORY
                        : a.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
                entries.add(new Entry(child.getFileName().toString(), type, a.size(),
                        a.lastModifiedTime().toInstant().getEpochSecond()));
            }
        }
        return entries;
    }

    /**
     * What {@link #read} gives, read by the kernel directly and never by the JDK: for tests,
     * where only 64-bit x86 Linux with JNA can call it.
     *
     * @throws LastErrorException when the kernel refuses
     */
    static List<Entry> readWithKernel(Path dir) {
        return Kernel.read(dir);
    }

    /**
     * The kernel's side of {@link #read}, through {@link Libc}: only on 64-bit x86, where these
     * open flags hold (other architectures number them differently).
     */
    private static final class Kernel {
        private static final int O_DIRECTORY = 0x10000;
        private static final int O_NOFOLLOW = 0x20000;
        private static final int O_CLOEXEC = 0x80000;
        /** statx's mask: the type and mode, the mtime, the size. */
        private static final int STATX_WANTED = 0x1 | 0x2 | 0x40 | 0x200;
        private static final int STATX_SIZE = 256;
        /** The longest name Linux allows. */
        private static final int NAME_MAX = 255;
        private static final int S_IFMT = 0xF000;
        private static final int S_IFDIR = 0x4000;
        private static final int S_IFREG = 0x8000;
        private static final int S_IFLNK = 0xA000;
        /** Bytes of names read per call, about a hundred of a lake's: small, since each directory listed allocates one. */
        private static final int DIRENTS_SIZE = 8 * 1024;
        static final boolean BOUND = Libc.BOUND && Platform.isIntel();

        static List<Entry> read(Path dir) {
            int fd = Libc.open(Libc.path(dir.toString()), Libc.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
            try {
                List<Entry> entries = new ArrayList<>();
                byte[] dirents = new byte[DIRENTS_SIZE];
                byte[] stat = new byte[STATX_SIZE];
                byte[] name = new byte[NAME_MAX + 1]; // each name in turn, NUL-terminated, for statx
                ByteBuffer statView = ByteBuffer.wrap(stat).order(ByteOrder.nativeOrder());
                ByteBuffer view = ByteBuffer.wrap(dirents).order(ByteOrder.nativeOrder());
                for (long n; (n = Libc.getdents64(fd, dirents, dirents.length)) > 0; ) {
                    for (int at = 0; at < n; at += view.getShort(at + 16) & 0xFFFF) {
                        int nameStart = at + 19;
                        int nameEnd = nameStart;
                        while (dirents[nameEnd] != 0) {
                            nameEnd++;
                        }
                        if (isDotOrDotDot(dirents, nameStart, nameEnd)) {
                            continue;
                        }
                        int length = nameEnd - nameStart;
                        if (length >= name.length) { // longer than Linux allows, but a file system may say otherwise
                            name = new byte[length + 1];
                        }
                        System.arraycopy(dirents, nameStart, name, 0, length + 1); // with its NUL
                        Libc.statx(fd, name, Libc.AT_SYMLINK_NOFOLLOW, STATX_WANTED, stat);
                        entries.add(new Entry(Libc.name(dirents, nameStart, length),
                                type(statView.getShort(28) & S_IFMT), statView.getLong(40), statView.getLong(112)));
                    }
                }
                return entries;
            } finally {
                Libc.close(fd);
            }
        }

        private static EntryType type(int format) {
            return switch (format) {
                case S_IFLNK -> EntryType.SYMLINK;
                case S_IFDIR -> EntryType.DIRECTORY;
                case S_IFREG -> EntryType.FILE;
                default -> EntryType.OTHER;
            };
        }

        private static boolean isDotOrDotDot(byte[] b, int start, int end) {
            int len = end - start;
            return b[start] == '.' && (len == 1 || (len == 2 && b[start + 1] == '.'));
        }
    }
}
