package io.quantsinfra.lake.durability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Makes everything written so far to whole file systems durable at once, so that received files
 * can be published in batches behind one sync instead of an fdatasync each (see {@link BatchSync}).
 * {@link Syncfs} is the one implementation; tests count the calls through this interface.
 */
public interface FileSystemSync extends AutoCloseable {
    /**
     * Makes durable everything written so far to the file systems that hold {@code dirs}.
     *
     * @throws IOException when a directory cannot be opened, or the kernel reports a write error
     */
    void sync(Collection<Path> dirs) throws IOException;

    /** Releases what the syncs kept open. */
    @Override
    void close();

    /** A way to sync whole file systems on this machine, or empty where there is none (each file is then synced on its own). */
    static Optional<FileSystemSync> open() {
        return Syncfs.open();
    }
}
