package io.quantsinfra.lake.sftp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * The replies to the READs of one file read whole, by offset: which bytes are here from the
 * start, and the gaps that short replies left. A server may answer a READ with fewer bytes than
 * asked for without the file having ended (many give at most 64 KiB); the READs behind it were
 * sent already and their bytes are good, so only the gaps are asked for again.
 */
final class WholePieces {
    /** Bytes asked for in all: one more than the file is expected to hold. */
    private final long length;
    private final TreeMap<Long, ByteBuffer> pieces = new TreeMap<>();
    /** Where the server said the file ends (EOF), if it did. */
    private long endedAt = Long.MAX_VALUE;
    /** Replies not yet told of by {@link #tellSizes}: offset, asked, got. */
    private final List<long[]> unread = new ArrayList<>();

    /** @param length bytes asked for in all, the expected size plus one */
    WholePieces(long length) {
        this.length = length;
    }

    /**
     * Takes the reply to a READ of {@code asked} bytes at {@code offset}. The bytes stay in the
     * reply: it must not be released while they are read.
     *
     * @throws SFTPException the server's error, other than the end of the file
     */
    void add(long offset, int asked, SftpReply reply) throws SFTPException {
        if (reply.type() == PacketType.STATUS) {
            reply.expectStatus(Response.StatusCode.EOF);
            endedAt = Math.min(endedAt, offset);
            return;
        }
        ByteBuffer data = reply.data(asked);
        if (data.hasRemaining()) {
            pieces.put(offset, data);
        }
        unread.add(new long[] {offset, asked, data.remaining()});
    }

    /** How many bytes are here without a gap from the start of the file. */
    long whole() {
        long at = 0;
        for (Map.Entry<Long, ByteBuffer> e : pieces.entrySet()) {
            if (e.getKey() > at) {
                break;
            }
            at = Math.max(at, e.getKey() + e.getValue().remaining());
        }
        return Math.min(at, endedAt);
    }

    /**
     * Whether bytes before the expected end are missing and the file did not say it ended there:
     * a short reply stopped short of it.
     */
    boolean hasGaps() {
        long w = whole();
        return w < length - 1 && w < endedAt;
    }

    /** READs of at most {@code size} bytes that cover every gap up to what was asked for. */
    List<long[]> gapReads(int size) {
        List<long[]> reads = new ArrayList<>();
        long at = 0;
        long stop = Math.min(length, endedAt);
        for (Map.Entry<Long, ByteBuffer> e : pieces.entrySet()) {
            addReads(reads, at, Math.min(e.getKey(), stop), size);
            at = Math.max(at, e.getKey() + e.getValue().remaining());
        }
        addReads(reads, at, stop, size);
        return reads;
    }

    private static void addReads(List<long[]> reads, long from, long to, int size) {
        for (long o = from; o < to; o += size) {
            reads.add(new long[] {o, Math.min(size, to - o)});
        }
    }

    /** What one READ's reply showed of the server's limit. */
    @FunctionalInterface
    interface ReplySize {
        /** A READ of {@code asked} bytes got {@code got}; {@code fileGoesOn}: it was short, and bytes came from further on. */
        void seen(long asked, long got, boolean fileGoesOn);
    }

    /** Tells {@code to} of each reply taken since the last call. */
    void tellSizes(ReplySize to) {
        for (long[] r : unread) {
            long end = r[0] + r[2];
            to.seen(r[1], r[2], r[2] < r[1] && pieces.ceilingKey(end) != null);
        }
        unread.clear();
    }

    /** The bytes that are here from the start, in order: views of the replies, not copies. */
    List<ByteBuffer> fromStart() {
        long w = whole();
        List<ByteBuffer> out = new ArrayList<>();
        for (Map.Entry<Long, ByteBuffer> e : pieces.entrySet()) {
            long start = e.getKey();
            if (start >= w) {
                break;
            }
            ByteBuffer b = e.getValue().duplicate();
            long n = Math.min(b.remaining(), w - start);
            out.add(b.limit(b.position() + (int) n));
        }
        return out;
    }
}
