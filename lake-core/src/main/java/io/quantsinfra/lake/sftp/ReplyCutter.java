package io.quantsinfra.lake.sftp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Cuts an SFTP session's incoming bytes, in whatever pieces the SSH packets bring them, into
 * replies. A reply's bytes are copied once: into an array of its own, or, for a large DATA
 * reply, into a direct buffer of {@link ReplyBuffers} that is written to disk as it is.
 * Not thread-safe: one thread feeds it, in order.
 */
final class ReplyCutter {
    /**
     * The longest reply taken: a READ reply is at most {@link SharedReadState#READ_SIZE} bytes and
     * OpenSSH sends no message longer than 256 KiB; a server announcing more is broken.
     */
    static final int MAX_REPLY = 4 << 20;
    /**
     * Replies from this size on are put into direct buffers: in practice, the DATA of large READs.
     * Half a buffer: the READ budget counts the bytes asked for, so a buffer must hold at least
     * that much, or a server that answers 64 KiB at most would fill buffers of a quarter MiB with
     * a quarter of it, and their memory would grow to four times the budget.
     */
    static final int DIRECT_MIN = ReplyBuffers.SIZE / 2;

    /** Where whole replies go. */
    interface Target {
        /** One whole reply. */
        void reply(SftpReply reply) throws SFTPException;
    }

    private final ReplyBuffers buffers;
    private final byte[] length = new byte[4];
    private int lengthHave;
    /** The reply being put together from several pieces, in a heap array or in a direct buffer; or neither. */
    private byte[] heap;
    private int heapHave;
    private ByteBuffer direct;

    ReplyCutter(ReplyBuffers buffers) {
        this.buffers = buffers;
    }

    /** Cuts {@code len} bytes of channel data at {@code off} into replies: each a length, then that many bytes. */
    void cut(byte[] data, int off, int len, Target to) throws SFTPException {
        int end = off + len;
        while (off < end) {
            if (heap == null && direct == null) {
                int size;
                if (lengthHave == 0 && end - off >= 4) {
                    size = uint32(data, off);
                    off += 4;
                } else {
                    int k = Math.min(4 - lengthHave, end - off);
                    System.arraycopy(data, off, length, lengthHave, k);
                    lengthHave += k;
                    off += k;
                    if (lengthHave < 4) {
                        return;
                    }
                    lengthHave = 0;
                    size = uint32(length, 0);
                }
                if (size < 0 || size > MAX_REPLY) {
                    throw new SFTPException("the server sent an SFTP message of " + Integer.toUnsignedLong(size)
                            + " bytes; the most taken is " + MAX_REPLY);
                }
                if (size >= DIRECT_MIN && size <= ReplyBuffers.SIZE) {
                    direct = buffers.take().limit(size);
                } else if (end - off >= size) {
                    to.reply(SftpReply.of(Arrays.copyOfRange(data, off, off + size)));
                    off += size;
                    continue;
                } else {
                    heap = new byte[size];
                    heapHave = 0;
                }
            }
            if (direct != null) {
                int k = Math.min(direct.remaining(), end - off);
                direct.put(data, off, k);
                off += k;
                if (!direct.hasRemaining()) {
                    ByteBuffer whole = direct.flip();
                    direct = null;
                    to.reply(whole.get(0) == PacketType.DATA.toByte() ? SftpReply.data(whole, buffers) : SftpReply.of(copy(whole)));
                }
            } else {
                int k = Math.min(heap.length - heapHave, end - off);
                System.arraycopy(data, off, heap, heapHave, k);
                heapHave += k;
                off += k;
                if (heapHave == heap.length) {
                    byte[] whole = heap;
                    heap = null;
                    to.reply(SftpReply.of(whole));
                }
            }
        }
    }

    /** The bytes of a buffer of {@code buffers}, which goes back. */
    private byte[] copy(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        buffers.give(b);
        return bytes;
    }

    private static int uint32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | b[off + 3] & 0xff;
    }
}
