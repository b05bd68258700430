package io.quantsinfra.lake.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Replaces a small file atomically and durably; shared by checkpoints and the metrics file. */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Replaces {@code file}'s content with {@code bytes}: they go to a hidden temporary file in the
     * same directory, which is flushed to disk and renamed over {@code file}; the directory is then
     * flushed so that the rename survives a power loss. A reader sees the old content or the new,
     * never a mix. If anything fails, the temporary file is removed and {@code file} is left as it
     * was. The directory must exist.
     *
     * @throws IOException if the file cannot be written
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + file.getFileName() + ".tmp-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /**
     * Flushes {@code dir}'s entries (the rename) to disk. Not every platform can open a directory
     * (Windows cannot) or flush one; there the rename is still atomic, only its durability across a
     * power loss rests on the file system, so failures are ignored.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Unsupported here; see the Javadoc.
        }
    }
}
