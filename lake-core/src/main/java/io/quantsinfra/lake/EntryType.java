package io.quantsinfra.lake;

/** The kind of a file-system entry, remote or local. */
public enum EntryType {
    /** A regular file. */
    FILE,
    /** A directory. */
    DIRECTORY,
    /** A symbolic link (never followed). */
    SYMLINK,
    /** Anything else: devices, sockets, fifos. Never mirrored. */
    OTHER
}
