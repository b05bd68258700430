package io.quantsinfra.lake.s3;

import java.util.concurrent.Semaphore;

/**
 * The memory the lake's files on their way to the bucket may hold at once: each small file's
 * bytes until its PUT, one part of each large file until it is uploaded. A file takes its share
 * before its first byte and waits while the budget is spent; it never holds a share while it
 * waits for more, so files cannot wait on each other.
 */
final class PartMemory {
    private final int capacity;
    private final Semaphore bytes;

    /** A budget of {@code capacity} bytes. */
    PartMemory(int capacity) {
        this.capacity = capacity;
        this.bytes = new Semaphore(capacity);
    }

    /**
     * Takes {@code n} bytes (at most the whole budget), waiting until they are free. It does not
     * give way to an interrupt: every holder gives its share back once its file is published or
     * abandoned, which a cancelled run does promptly.
     *
     * @return the bytes taken, to give back with {@link #release}
     */
    int take(long n) {
        int share = (int) Math.min(n, capacity);
        bytes.acquireUninterruptibly(share);
        return share;
    }

    /** Gives back bytes {@link #take} took. */
    void release(int share) {
        bytes.release(share);
    }
}
