package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.remote.RemoteFs;
import net.schmizz.sshj.common.Buffer;

/**
 * Reads the four fields a sync needs (type, size, mtime, permissions) from an SFTP v3 ATTRS
 * structure (draft-ietf-secsh-filexfer-02, section 5) straight off a reply. sshj's
 * {@code readFileAttributes} builds a FileAttributes, a FileMode and two permission sets for each
 * one, and a sync reads one per listed entry and one per file: on a large tree those objects
 * are a noticeable share of the sync's CPU.
 */
final class SftpAttributes {
    private static final long SIZE = 0x1;
    private static final long UIDGID = 0x2;
    private static final long PERMISSIONS = 0x4;
    private static final long ACMODTIME = 0x8;
    private static final long EXTENDED = 0x80000000L;
    /** The file type bits of a mode, and the types a sync tells apart. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    private SftpAttributes() {
    }

    /**
     * Reads the ATTRS at {@code b}'s read position, leaving it just past them. A field the server
     * left out reads as 0 (a mode of 0 is of no known type).
     *
     * @throws Buffer.BufferException if the structure is truncated or malformed
     */
    static RemoteFs.Item read(String name, Buffer<?> b) throws Buffer.BufferException {
        long flags = b.readUInt32();
        long size = (flags & SIZE) != 0 ? b.readUInt64() : 0;
        if ((flags & UIDGID) != 0) {
            b.readUInt32();
            b.readUInt32();
        }
        int mode = (flags & PERMISSIONS) != 0 ? (int) b.readUInt32() : 0;
        long mtime = 0;
        if ((flags & ACMODTIME) != 0) {
            b.readUInt32(); // atime
            mtime = b.readUInt32();
        }
        if ((flags & EXTENDED) != 0) {
            long pairs = b.readUInt32();
            for (long i = 0; i < 2 * pairs; i++) {
                b.readStringAsBytes(); // each at most 32 KiB, and within the packet: a lying count ends in BufferException
            }
        }
        int format = mode & S_IFMT;
        EntryType type = format == S_IFREG ? EntryType.FILE : format == S_IFDIR ? EntryType.DIRECTORY
                : format == S_IFLNK ? EntryType.SYMLINK : EntryType.OTHER;
        return new RemoteFs.Item(name, type, size, mtime, mode & 07777);
    }
}
