package io.quantsinfra.lake.sftp;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers for large SFTP replies, used again once their bytes are written. A large
 * file's data arrives in replies of a quarter MiB: put into a heap array, each would be copied
 * once more by the JDK on its way to the disk, and the arrays would keep the garbage collector
 * busy, up to full collections on large files. The buffers kept are at most those in flight at
 * once, which the READ budget bounds.
 */
final class ReplyBuffers {
    /** Each buffer's size: the largest READ reply, with its header. */
    static final int SIZE = SharedReadState.READ_SIZE + 64;

    private final ArrayBlockingQueue<ByteBuffer> free;

    /** @param keep how many free buffers are kept for later; more are left to the garbage collector */
    ReplyBuffers(int keep) {
        this.free = new ArrayBlockingQueue<>(Math.max(1, keep));
    }

    /** A cleared buffer of {@link #SIZE} bytes. */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(SIZE);
    }

    /** Gives back a buffer from {@link #take}, whose bytes nobody reads any more. */
    void give(ByteBuffer b) {
        free.offer(b);
    }
}
