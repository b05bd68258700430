package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.remote.RemoteFs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Connects in the background from the start of a run, while the run takes its lock and writes
 * its checkpoint: the SSH handshake is mostly waiting on the network (about ten round trips) or,
 * on a fast link, crypto on another core. The first {@link #get} takes that connection (or its
 * failure); every later one, a reconnect, connects anew.
 */
final class EarlyConnection implements Supplier<RemoteFs>, AutoCloseable {
    private final Supplier<RemoteFs> connector;
    private final CompletableFuture<RemoteFs> first;
    private boolean taken;

    /** Starts connecting on a thread of {@code threads}. */
    EarlyConnection(Supplier<RemoteFs> connector, ThreadFactory threads) {
        this.connector = connector;
        this.first = CompletableFuture.supplyAsync(connector, r -> threads.newThread(r).start());
    }

    /**
     * The early connection the first time, a new one after that.
     *
     * @throws LakeException when it cannot connect
     */
    @Override
    public synchronized RemoteFs get() {
        if (taken) {
            return connector.get();
        }
        taken = true;
        try {
            return first.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Closes the early connection, once it is made, if the run ended before it took it (e.g. the lock was held). */
    @Override
    public synchronized void close() {
        if (!taken) {
            taken = true;
            first.thenAccept(fs -> {
                try {
                    fs.close();
                } catch (java.io.IOException | RuntimeException e) {
                    // unused; nothing to report
                }
            });
        }
    }
}
