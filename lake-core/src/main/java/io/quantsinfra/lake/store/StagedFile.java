package io.quantsinfra.lake.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * A file being written to the lake, not yet visible under its final name: the bytes go in, are
 * sealed (closed, made durable, given their mode and mtime), then published at once. Each
 * failure to write is a {@link StoreWriteException}.
 */
public interface StagedFile {
    /** The bytes it holds: those kept for a resume, then those written. */
    long size() throws StoreWriteException;

    /** Writes what remains of {@code data} at {@code position}. */
    void write(ByteBuffer data, long position) throws StoreWriteException;

    /**
     * The last staged bytes, which a resume compares with the remote's at the same offset before
     * it goes on: the remote file may have been rewritten since they were staged.
     */
    TailCheck tailCheck() throws IOException;

    /** Bytes at the end of a local partial file compared with the remote's before a resume. */
    int TAIL_WINDOW = 64 * 1024;

    /**
     * How a resume checks the staged bytes against the remote's.
     *
     * @param from    the offset of the bytes to read from the remote
     * @param length  how many
     * @param matches whether the remote's bytes there are the staged ones
     */
    record TailCheck(long from, int length, Predicate<byte[]> matches) {
    }

    /** Drops every staged byte, to start the file afresh. */
    void startOver() throws StoreWriteException;

    /**
     * Starts making the bytes written so far durable, so that the store works while the network
     * does; best effort, since {@link #seal} makes every byte durable anyway.
     */
    void flushEarly();

    /**
     * Ends writing: with {@code durableNow} the bytes are made durable first; otherwise the
     * caller makes a batch of files durable at once before it publishes them. Then the mode
     * and mtime (seconds) are set, where given.
     */
    void seal(boolean durableNow, OptionalInt mode, OptionalLong mtime) throws StoreWriteException;

    /** Publishes a sealed file, whose bytes are durable by now, whole, under its final name. */
    void publish() throws StoreWriteException;

    /**
     * Stops writing without publishing; the staged bytes stay where they are.
     *
     * @return the bytes kept for a resume, which may be fewer than were written (an object store
     *         keeps whole parts only), or -1 when that cannot be told
     */
    long abandon();

    /**
     * What the store keeps the staged bytes under, for the checkpoint to record, where a path
     * alone does not find them: an object store's upload id. Empty for a local file.
     */
    default Optional<String> stagedId() {
        return Optional.empty();
    }

    /**
     * The local directory that holds the staged bytes, whose file system a batch of files is
     * made durable on at once; empty for a store that is not a local file system, whose files
     * are each made durable as they are sealed.
     */
    Optional<Path> stagingDirectory();

    /**
     * The local directory the file is published in, made durable after the run's renames;
     * empty for a store that is not a local file system.
     */
    Optional<Path> targetDirectory();
}
