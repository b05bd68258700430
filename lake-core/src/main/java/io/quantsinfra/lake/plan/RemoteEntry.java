package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.EntryType;
import java.util.Optional;

/**
 * One entry of the remote tree, as listed (lstat-like: symlinks are not followed).
 *
 * @param path        '/'-separated path relative to the remote root, e.g. {@code d_20241028/part_00001.parquet}
 * @param type        what it is
 * @param size        bytes, for files
 * @param mtime       modification time in whole epoch seconds (SFTP v3)
 * @param permissions permission bits ({@code 07777} mask)
 * @param linkTarget  the target of a symlink, when read
 */
public record RemoteEntry(String path, EntryType type, long size, long mtime, int permissions, Optional<String> linkTarget) {
}
