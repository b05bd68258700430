package io.quantsinfra.lake;

/**
 * A flag another thread raises to stop a running sync, e.g. from a SIGINT/SIGTERM handler. The
 * sync stops at the next chunk boundary, keeps partial data, and ends with status interrupted.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    /** Asks the sync to stop. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }
}
