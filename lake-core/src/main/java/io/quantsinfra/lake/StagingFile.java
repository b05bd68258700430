package io.quantsinfra.lake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The local side of one file's download: its staging file, opened never through a symlink, and
 * the writes, truncations and syncs on it. Every failure is a {@link LocalWriteException}, so
 * that a full or read-only disk is told from the remote's failures.
 */
final class StagingFile {
    private static final int WRITE_SLICE = 64 * 1024;

    private StagingFile() {
    }

    /** A local write failed: disk full, permission, I/O error. */
    static final class LocalWriteException extends IOException {
        private static final long serialVersionUID = 1L;

        LocalWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Opens the staging file, never through a symlink: one planted at its name is removed, not
     * followed. A fresh download ({@code offset} 0) truncates it; a resume keeps the partial's
     * bytes up to {@code offset}, or none if it holds fewer: its size then says where to go on.
     */
    static FileChannel open(Path staging, long offset) throws LocalWriteException {
        try {
            FileChannel ch;
            try {
                ch = channel(staging, offset == 0);
            } catch (IOException e) { // the JDK reports O_NOFOLLOW's ELOOP as a plain IOException
                if (!Files.isSymbolicLink(staging)) {
                    throw e;
                }
                Files.delete(staging); // O_NOFOLLOW refused a link: remove the link itself
                ch = channel(staging, offset == 0);
            }
            if (offset > 0) {
                ch.truncate(ch.size() < offset ? 0 : offset);
            }
            return ch;
        } catch (IOException e) {
            throw new LocalWriteException(e);
        }
    }

    private static FileChannel channel(Path staging, boolean truncate) throws IOException {
        return truncate
                ? FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)
                : FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
    }

    /** Closes {@code ch}, if any, when failing already: the first error is the one reported. */
    static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // failing already; the first error is the one reported
            }
        }
    }

    /**
     * Writes what remains of {@code data} at {@code position}. A heap buffer goes in slices of at
     * most {@link #WRITE_SLICE}: the JDK copies it through a per-thread direct buffer as large as
     * the write, so smaller writes keep that memory small with hundreds of workers. A direct
     * buffer is written as it is.
     */
    static void write(FileChannel ch, ByteBuffer data, long position) throws LocalWriteException {
        try {
            int n = data.remaining();
            int slice = data.isDirect() ? n : WRITE_SLICE;
            for (int done = 0; done < n; ) {
                ByteBuffer bb = data.duplicate().position(data.position() + done).limit(data.position() + done + Math.min(slice, n - done));
                while (bb.hasRemaining()) {
                    done += ch.write(bb, position + done);
                }
            }
        } catch (IOException e) {
            throw new LocalWriteException(e);
        }
    }

    static void truncate(FileChannel ch, long size) throws LocalWriteException {
        try {
            ch.truncate(size);
        } catch (IOException e) {
            throw new LocalWriteException(e);
        }
    }

    /** fdatasync: the bytes and the size; the mtime is set afterwards anyway. */
    static void force(FileChannel ch) throws LocalWriteException {
        try {
            ch.force(false);
        } catch (IOException e) {
            throw new LocalWriteException(e);
        }
    }
}
