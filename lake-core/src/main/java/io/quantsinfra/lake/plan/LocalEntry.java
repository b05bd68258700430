package io.quantsinfra.lake.plan;

import io.quantsinfra.lake.EntryType;

/**
 * One entry of the local tree under a profile's directory (symlinks are not followed).
 *
 * @param path        '/'-separated path relative to the profile directory
 * @param type        what it is
 * @param size        bytes, for files
 * @param mtime       modification time in whole epoch seconds
 * @param linkTarget  the target of a symlink
 */
public record LocalEntry(String path, EntryType type, long size, long mtime, java.util.Optional<String> linkTarget) {
}
