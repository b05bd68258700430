package io.quantsinfra.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells how many bytes may still be written under a directory. Tests inject their own. */
@FunctionalInterface
public interface DiskSpace {
    /** The real file store's usable space, measured at the nearest existing ancestor of the directory. */
    DiskSpace FILE_STORE = dir -> {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Long.MAX_VALUE : Files.getFileStore(p).getUsableSpace();
    };

    /** Usable bytes on the file store that holds {@code dir}. */
    long usableBytes(Path dir) throws IOException;
}
