package io.quantsinfra.lake.remote;

import io.quantsinfra.lake.EntryType;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * The narrow view of a remote file system that a sync needs. Paths are absolute remote paths.
 *
 * <p>Error contract: a missing path throws {@link java.nio.file.NoSuchFileException}, a denied
 * one {@link java.nio.file.AccessDeniedException}, a dead or stalled link
 * {@link ConnectionLostException}; anything else is a plain {@link IOException}.
 */
public interface RemoteFs extends Closeable {

    /**
     * One directory entry or file status, as the server reports it (symlinks not followed).
     *
     * @param name        the raw name sent by the server, unchecked; if it is not text, a printable
     *                    form of its bytes (bad bytes as {@code \xNN}), which names nothing
     * @param type        what it is
     * @param size        bytes
     * @param mtime       epoch seconds
     * @param permissions permission bits
     * @param nameIsText  whether the server sent the name as valid UTF-8;
     *                    one that is not cannot be stored or asked for under the same name
     */
    record Item(String name, EntryType type, long size, long mtime, int permissions, boolean nameIsText) {
        /** An item whose name is text. */
        public Item(String name, EntryType type, long size, long mtime, int permissions) {
            this(name, type, size, mtime, permissions, true);
        }

        /** This item, its name being the printable form of bytes that are not text. */
        public Item nameNotText() {
            return new Item(name, type, size, mtime, permissions, false);
        }
    }

    /** The round trip measured while connecting, by an exchange that costs the server nothing. */
    Duration roundTrip();

    /** Lists a directory; the names are raw and must be checked by the caller (and {@link Item#nameIsText}). */
    List<Item> list(String dir) throws IOException;

    /**
     * One directory's listing, or why it could not be listed.
     *
     * @param items its entries, raw as in {@link #list}, or {@code null} on error
     * @param error this directory's own failure (missing, denied), or {@code null}
     */
    record Listing(List<Item> items, IOException error) {
    }

    /**
     * Lists several directories at once, in about as many round trips as one.
     *
     * @return one listing per directory, in order; a directory's own failure is in its listing
     * @throws IOException when the link fails ({@link ConnectionLostException})
     */
    List<Listing> listAll(List<String> dirs) throws IOException;

    /** The status of {@code path}, following symlinks. */
    Item stat(String path) throws IOException;

    /**
     * The target of the symlink at {@code path}.
     *
     * @throws java.nio.charset.CharacterCodingException when the target is not valid UTF-8: it
     *                                                   cannot be recreated here as it is
     */
    String readLink(String path) throws IOException;

    /** Opens a file for reading. */
    Reader open(String path) throws IOException;

    /**
     * The largest READ the SFTP draft obliges servers to answer in full: a READ this size that
     * comes back short can only mean that the file ended.
     */
    int WHOLE_READ_MAX = 32 * 1024;

    /**
     * The largest {@link WholeRead#length()}: files up to this size are read whole, in groups, as
     * small ones are; larger ones stream through {@link #open}.
     */
    int GROUP_READ_MAX = 1024 * 1024;

    /**
     * A file to read whole.
     *
     * @param path   absolute remote path
     * @param length bytes to ask for, at most {@link #GROUP_READ_MAX}: one more than the file is
     *               expected to hold, so that a longer file shows
     */
    record WholeRead(String path, int length) {
    }

    /**
     * A file as read whole: its bytes and its status once they were read, or why it could not be
     * read. Its bytes may sit in buffers shared with other reads: {@link #close} gives them back
     * once they are written (or not wanted), and every Whole must be closed.
     *
     * @param data       the bytes the server sent from the file's start, in order (read-only views of
     *                   its replies, not copies); empty on error
     * @param attributes the file's status after the read, or {@code null} on error
     * @param error      this file's own failure (missing, denied), or {@code null}
     * @param release    gives the buffers (and their share of the memory budget) back, once
     */
    record Whole(List<ByteBuffer> data, Item attributes, IOException error, Runnable release) implements Closeable {
        /** A file that could not be read; nothing to give back. */
        public static Whole failed(IOException error) {
            return new Whole(List.of(), null, error, () -> { });
        }

        /** How many bytes came. */
        public long length() {
            long n = 0;
            for (ByteBuffer b : data) {
                n += b.remaining();
            }
            return n;
        }

        /** Gives the bytes back; they must not be read after. */
        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * Reads several files whole at once: all their OPENs go out together, then all their READs,
     * FSTATs and CLOSEs together, so the lot costs two round trips and a few packets (a server that
     * answers large READs short costs more round trips, to ask for what it left out).
     *
     * <p>When some file is longer than {@link #WHOLE_READ_MAX} ({@link #holdsBudget}), each
     * result keeps its share of the memory budget until it is closed: the caller must not wait
     * for anything else meanwhile, or workers could wait on each other.
     *
     * @return one result per read, in order; a file's own failure is in its result
     * @throws IOException when the link fails ({@link ConnectionLostException})
     */
    List<Whole> readWhole(List<WholeRead> reads) throws IOException;

    /** Whether a {@link #readWhole} including a read of {@code length} keeps the memory budget until its results are closed. */
    static boolean holdsBudget(long length) {
        return length > WHOLE_READ_MAX;
    }

    /** Receives a file's bytes in order. */
    @FunctionalInterface
    interface Sink {
        /**
         * The next bytes of the file: those remaining in {@code data}, which is valid only during
         * the call (its buffer takes a later reply). Throwing stops the transfer.
         */
        void accept(ByteBuffer data) throws IOException;
    }

    /**
     * Paces the READs of {@link Reader#transfer} before they are sent, so that the bytes on the
     * wire follow a rate ({@code --bwlimit}) however many READs a file keeps in flight.
     */
    @FunctionalInterface
    interface Pacer {
        /** No limit: every READ may go at once. */
        Pacer UNLIMITED = (bytes, wait) -> true;

        /**
         * Whether a READ of {@code bytes} may be sent now, which then counts against the rate.
         * With {@code wait} it waits until it may, and says yes.
         */
        boolean pace(long bytes, boolean wait) throws InterruptedIOException;
    }

    /**
     * What {@link Reader#transfer} delivered.
     *
     * @param bytes      bytes the server sent: fewer than asked means the file ended early, more (the
 *                   sink never gets those) that it is longer than expected
     * @param attributes the file's status after the last byte was read
     */
    record Transferred(long bytes, Item attributes) {
    }

    /** An open remote file. Closing it never waits for the server. */
    interface Reader extends Closeable {
        /**
         * Streams {@code length} bytes from {@code offset} to {@code sink}, with many reads in
         * flight, each sent when {@code pacer} allows it, then reports the file's status as the
         * server saw it after those reads. It is the last call on a reader: it may release the
         * remote handle early.
         */
        Transferred transfer(long offset, long length, Pacer pacer, Sink sink) throws IOException;

        /** Reads up to {@code len} bytes at {@code offset}; -1 at end of file. */
        int read(long offset, byte[] buf, int off, int len) throws IOException;
    }
}
