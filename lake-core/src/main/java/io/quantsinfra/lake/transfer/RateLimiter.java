package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.InterruptedIOException;

/**
 * Spreads READ requests over time so that all workers together stay under a byte rate
 * ({@code --bwlimit}): each READ takes its bytes' share of time, one after the other. Time not
 * used is not saved up, so the bytes asked for by any moment stay within the rate and one READ.
 */
final class RateLimiter implements RemoteFs.Pacer {
    private final long bytesPerSecond;
    /** When the next READ may go: the end of the time taken by those before it. */
    private long nextFreeNanos = System.nanoTime();

    RateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean pace(long bytes, boolean wait) throws InterruptedIOException {
        long delay;
        synchronized (this) {
            long now = System.nanoTime();
            delay = nextFreeNanos - now;
            if (delay > 0 && !wait) {
                return false;
            }
            nextFreeNanos = Math.max(now, nextFreeNanos) + bytes * 1_000_000_000L / bytesPerSecond;
        }
        if (delay > 0) {
            try {
                Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while throttling");
            }
        }
        return true;
    }
}
