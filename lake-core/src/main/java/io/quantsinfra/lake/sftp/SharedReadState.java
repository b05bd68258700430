package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * What every read on one connection shares: what the server was seen to answer to READs; and
 * what it shares with the connector's other connections, the memory budget of READ replies
 * ({@link ReadMemory}). A read that also needs remote handles takes them from its session's
 * {@link HandlePermits} first, then the budget.
 */
final class SharedReadState {
    /** The largest READ OpenSSH answers in full (256 KiB less its header allowance). */
    static final int READ_SIZE = 261_120;
    /** Bytes of READ replies that may be in flight or received and not yet written, in KiB: the connector's. */
    private final Semaphore budget;
    private final int budgetKib;
    /**
     * The READ size files start with: ours ({@link #READ_SIZE}) until the server shows a lower
     * limit by answering short in the middle of a file, then that limit, so that later files do
     * not ask for more than it gives; and whether it answered a READ of that size in full.
     */
    private volatile ReadLimit readLimit = new ReadLimit(READ_SIZE, false);

    /** @param memory the READ budget this connection shares with the others of its connector */
    SharedReadState(ReadMemory memory) {
        this.budgetKib = memory.budgetKib();
        this.budget = memory.budget();
    }

    /** Takes {@code kib} of the budget, waiting as long as it takes; {@code what} is read, for the message. */
    void takeBudget(int kib, String what) throws InterruptedIOException {
        take(budget, kib, what);
    }

    /** Takes {@code kib} of the budget if it is free now; whether it was. */
    boolean tryTakeBudget(int kib) {
        return budget.tryAcquire(kib);
    }

    /** Gives back {@code kib} of the budget. */
    void releaseBudget(int kib) {
        budget.release(kib);
    }

    /** The whole budget, in KiB. */
    int budgetKib() {
        return budgetKib;
    }

    /** A READ's share of the budget: {@code bytes} in KiB, rounded up, and never more than all of it. */
    int kib(int bytes) {
        return Math.min(budgetKib, (bytes + 1023) / 1024);
    }

    /** Takes {@code n} permits of {@code permits}, waiting as long as it takes; {@code what} is read, for the message. */
    static void take(Semaphore permits, int n, String what) throws InterruptedIOException {
        try {
            permits.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to read " + what);
        }
    }

    /** What the server is known to answer to READs now. */
    ReadLimit readLimit() {
        return readLimit;
    }

    /**
     * What a READ's reply says of the server's limit: a READ of that size answered in full
     * confirms it; one that came back short where the file goes on lowers it, but never below
     * what every server must allow.
     */
    void learn(long asked, long got, boolean fileGoesOn) {
        ReadLimit limit = readLimit;
        if (got == asked && got == limit.size() && !limit.answeredInFull()) {
            readLimit = new ReadLimit((int) got, true);
        } else if (fileGoesOn && got < asked && got >= RemoteFs.WHOLE_READ_MAX && got < limit.size()) {
            readLimit = new ReadLimit((int) got, false);
        }
    }
}
