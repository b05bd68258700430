package io.quantsinfra.lake.s3;

import java.util.HashMap;
import java.util.Map;

/**
 * The memory the lake's files on their way to the bucket may hold at once: each small file's
 * bytes until its PUT, one part of each large file until it is uploaded.
 *
 * <p>A thread that holds no memory waits while the budget is spent. A thread that holds some
 * already never waits: it may be keeping a group of small files read together, which it
 * publishes only once every file of the group is kept, so waiting for memory that other such
 * threads hold would leave them all waiting. What it takes beyond the budget is bounded by its
 * group, whose bytes are in memory already, under the transfer's read budget.
 */
final class PartMemory {
    private final int capacity;
    /** Bytes left; below zero while holders have gone beyond the budget. */
    private long free;
    /** Shares held, by the thread that took them. */
    private final Map<Thread, Integer> holders = new HashMap<>();

    /** Bytes given to one file, to give back with {@link #release}. */
    record Share(Thread taker, int bytes) {
    }

    /** A budget of {@code capacity} bytes. */
    PartMemory(int capacity) {
        this.capacity = capacity;
        this.free = capacity;
    }

    /**
     * Takes {@code n} bytes (at most the whole budget), waiting until they are free unless this
     * thread holds a share already. It does not give way to an interrupt: every holder gives its
     * share back once its file is published or abandoned, which a cancelled run does promptly.
     */
    synchronized Share take(long n) {
        Thread me = Thread.currentThread();
        int bytes = (int) Math.min(n, capacity);
        boolean interrupted = false;
        while (!holders.containsKey(me) && free < bytes) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            me.interrupt();
        }
        free -= bytes;
        holders.merge(me, 1, Integer::sum);
        return new Share(me, bytes);
    }

    /** Gives back a share {@link #take} gave. */
    synchronized void release(Share share) {
        free += share.bytes();
        holders.computeIfPresent(share.taker(), (t, held) -> held == 1 ? null : held - 1);
        notifyAll();
    }

    /** Bytes not taken; below zero while holders have gone beyond the budget. */
    synchronized long free() {
        return free;
    }
}
