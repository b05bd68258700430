package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.remote.ConnectionLostException;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The current connection of a run, shared by its workers. When an operation finds the link
 * dead, the first worker to notice reconnects (with exponential backoff) and every worker
 * retries its operation on the new connection. The number of reconnects per run is bounded.
 */
final class RemoteSession implements AutoCloseable {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** An operation on the remote file system. */
    @FunctionalInterface
    interface Operation<T> {
        T apply(RemoteFs fs) throws IOException;
    }

    private final Supplier<RemoteFs> connector;
    private final int maxReconnects;
    private final Duration firstBackoff;
    private final SyncListener listener;
    private final Cancellation cancellation;
    private RemoteFs fs;
    private long generation;
    private int reconnects;

    /**
     * @param connector     opens a new connection; throws {@link LakeException} when it cannot
     * @param maxReconnects reconnects allowed in this run
     * @param firstBackoff  the wait before the first reconnect attempt
     */
    RemoteSession(Supplier<RemoteFs> connector, int maxReconnects, Duration firstBackoff, SyncListener listener,
                  Cancellation cancellation) {
        this.connector = connector;
        this.maxReconnects = maxReconnects;
        this.firstBackoff = firstBackoff;
        this.listener = listener;
        this.cancellation = cancellation;
        this.fs = connector.get();
    }

    /** The round trip measured when the current connection was made. */
    synchronized Duration roundTrip() {
        return fs.roundTrip();
    }

    /** How many times this run reconnected. */
    synchronized int reconnects() {
        return reconnects;
    }

    /**
     * Runs {@code op}, reconnecting and retrying it while the link drops.
     *
     * @throws LakeException of kind CONNECTION when the reconnects are used up
     * @throws IOException   any other failure of {@code op}
     */
    <T> T call(Operation<T> op) throws IOException {
        while (true) {
            RemoteFs current;
            long seen;
            synchronized (this) {
                current = fs;
                seen = generation;
            }
            try {
                return op.apply(current);
            } catch (ConnectionLostException e) {
                reconnect(seen, e);
            }
        }
    }

    private synchronized void reconnect(long seen, ConnectionLostException cause) throws IOException {
        if (generation != seen) {
            return; // another worker already reconnected
        }
        closeQuietly(fs);
        Duration wait = firstBackoff;
        while (true) {
            if (reconnects >= maxReconnects) {
                throw new LakeException(LakeException.Kind.CONNECTION, "", cause.getMessage() + "; gave up after "
                        + reconnects + (reconnects == 1 ? " reconnect" : " reconnects"),
                        "check the network; the next run resumes the partial files (raise reconnect_attempts to retry longer)",
                        cause);
            }
            reconnects++;
            sleep(wait);
            try {
                fs = connector.get();
                generation++;
                listener.reconnected(reconnects, cause.getMessage());
                return;
            } catch (LakeException e) {
                if (cancellation.isCancelled()) {
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
            }
        }
    }

    private void sleep(Duration d) throws IOException {
        long until = System.nanoTime() + d.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (cancellation.isCancelled()) {
                    throw new java.io.InterruptedIOException("cancelled while waiting to reconnect");
                }
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to reconnect");
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(fs);
    }

    private static void closeQuietly(RemoteFs fs) {
        try {
            fs.close();
        } catch (IOException | RuntimeException e) {
            // the link is already gone
        }
    }
}
