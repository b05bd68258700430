package io.quantsinfra.lake.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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
     * Reads staged bytes at {@code position} into {@code into}, to compare them with the
     * remote's before a resume.
     *
     * @return the bytes read, or -1 past the end
     */
    int read(ByteBuffer into, long position) throws IOException;

    /** Cuts the staged bytes to {@code size}. */
    void truncate(long size) throws StoreWriteException;

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

    /** Stops writing without publishing; the staged bytes stay where they are. */
    void abandon();

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
