package io.quantsinfra.lake.sftp;

import java.util.concurrent.Semaphore;

/**
 * The memory that READ replies may hold, shared by every connection of one {@link SftpConnector}:
 * the budget of reply bytes in flight or received and not yet written, and the direct buffers
 * those bytes sit in. Per connection, many profiles synced at once would each hold a budget's
 * worth of buffers; shared, the process holds one whatever the number of profiles.
 */
final class ReadMemory {
    /**
     * Free buffers kept beyond the budget's worth of full ones, as many as a connection has
     * channels at most: a reply of half a buffer takes half as much budget, so more buffers than
     * that can be in use at once; those not kept are left to the garbage collector.
     */
    private static final int SPARE_BUFFERS = 10;

    private final Semaphore budget;
    private final int budgetKib;
    private final ReplyBuffers buffers;

    /** @param budgetBytes READ reply bytes in flight across all files of all connections */
    ReadMemory(long budgetBytes) {
        this.budgetKib = (int) (budgetBytes / 1024);
        this.budget = new Semaphore(budgetKib);
        this.buffers = new ReplyBuffers((int) (budgetBytes / ReplyBuffers.SIZE) + SPARE_BUFFERS);
    }

    /** The budget's permits, one per KiB: taken before a READ is sent, given back once its reply is written. */
    Semaphore budget() {
        return budget;
    }

    /** The whole budget, in KiB. */
    int budgetKib() {
        return budgetKib;
    }

    /** Where large replies go. */
    ReplyBuffers buffers() {
        return buffers;
    }
}
