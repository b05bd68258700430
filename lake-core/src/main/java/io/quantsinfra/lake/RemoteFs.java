package io.quantsinfra.lake;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The narrow view of a remote file system that a sync needs. Paths are absolute remote paths.
 *
 * <p>Error contract: a missing path throws {@link java.nio.file.NoSuchFileException}, a denied
 * one {@link java.nio.file.AccessDeniedException}, a dead or stalled link
 * {@link ConnectionLostException}; anything else is a plain {@link IOException}.
 */
interface RemoteFs extends Closeable {

    /**
     * One directory entry or file status, as the server reports it (symlinks not followed).
     *
     * @param name        the raw name sent by the server, unchecked
     * @param type        what it is
     * @param size        bytes
     * @param mtime       epoch seconds
     * @param permissions permission bits
     */
    record Item(String name, EntryType type, long size, long mtime, int permissions) {
    }

    /** Lists a directory; the names are raw and must be checked by the caller. */
    List<Item> list(String dir) throws IOException;

    /** The status of {@code path}, following symlinks. */
    Item stat(String path) throws IOException;

    /** The target of the symlink at {@code path}. */
    String readLink(String path) throws IOException;

    /** Opens a file for reading. */
    Reader open(String path) throws IOException;

    /** An open remote file. */
    interface Reader extends Closeable {
        /** The file's current status (fstat on the open handle). */
        Item attributes() throws IOException;

        /** A stream of {@code length} bytes from {@code offset}, with reads pipelined ahead. */
        InputStream stream(long offset, long length) throws IOException;

        /** Reads up to {@code len} bytes at {@code offset}; -1 at end of file. */
        int read(long offset, byte[] buf, int off, int len) throws IOException;
    }
}
