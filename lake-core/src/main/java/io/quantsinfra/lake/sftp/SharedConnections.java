package io.quantsinfra.lake.sftp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Connections shared by the profiles that reach a server the same way while they run at once:
 * one connection per key, however many profiles use it. The first to ask for a key connects, on
 * its own thread; those who ask meanwhile wait for that one handshake and get its connection or
 * its failure, so a dead host costs its connect timeout once. A failed connect leaves nothing
 * behind: the next to ask tries anew.
 *
 * <p>Each user holds a {@link Lease}, and the last to close one disconnects. A connection found
 * lost leaves the pool at once (see {@link Connect#connect}), and one seen closed (e.g. by its
 * keepalive) leaves it when next asked for, so that nobody is handed it again; its users still
 * close their leases, and connect anew through another.
 *
 * @param <K> what makes two connections one ({@link ConnectionKey}): equal keys share
 * @param <C> the connection
 */
final class SharedConnections<K, C> {
    /** Makes the connection for a key. */
    @FunctionalInterface
    interface Connect<C> {
        /**
         * Connects; runs on the thread of the first user to ask for the key.
         *
         * @param warnings hears what a user should know that does not stop the connection; each later
         *                 user of the connection hears it again
         * @param lost     to be run once the connection is found lost: it leaves the pool
         * @throws RuntimeException when it cannot connect (a {@code LakeException}): every user
         *                          waiting for it gets the same
         */
        C connect(Consumer<String> warnings, Runnable lost);
    }

    /** The connections made or being made, by key; a key's future fails when its connect did. */
    private final Map<K, CompletableFuture<Shared>> live = new ConcurrentHashMap<>();
    private final Consumer<C> disconnect;
    private final Predicate<C> open;

    /**
     * @param disconnect ends a connection once its last user left
     * @param open       whether a connection is still up as far as it knows; one that is not is
     *                   never handed out
     */
    SharedConnections(Consumer<C> disconnect, Predicate<C> open) {
        this.disconnect = disconnect;
        this.open = open;
    }

    /**
     * A lease on the connection for {@code key}: the live one if there is one, else the one being
     * made, else a new one made by {@code connect} on this thread.
     *
     * @param warnings hears the warnings of the connection, also those heard before this call
     * @throws RuntimeException what {@code connect} threw, here or on the thread that connected
     */
    Lease<C> open(K key, Connect<C> connect, Consumer<String> warnings) {
        while (true) {
            CompletableFuture<Shared> mine = new CompletableFuture<>();
            CompletableFuture<Shared> known = live.putIfAbsent(key, mine);
            if (known == null) {
                return connect(key, mine, connect, warnings);
            }
            Shared shared = await(known);
            if (shared.retain()) {
                shared.warnings.forEach(warnings);
                return shared.lease();
            }
            live.remove(key, known); // it ended since it was looked up (its last user left, its link was lost), or closed
        }
    }

    private Lease<C> connect(K key, CompletableFuture<Shared> mine, Connect<C> connect, Consumer<String> warnings) {
        List<String> heard = new CopyOnWriteArrayList<>();
        try {
            C connection = connect.connect(w -> {
                heard.add(w);
                warnings.accept(w);
            }, () -> {
                live.remove(key, mine);
                mine.thenAccept(Shared::end);
            });
            Shared shared = new Shared(key, mine, connection, List.copyOf(heard));
            mine.complete(shared);
            return shared.lease();
        } catch (RuntimeException | Error e) {
            live.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The connection another user is making, once it is made, or its failure. */
    private Shared await(CompletableFuture<Shared> connecting) {
        try {
            return connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** One connection of the pool and its users. */
    private final class Shared {
        private final K key;
        private final CompletableFuture<Shared> entry;
        private final C connection;
        /** What was heard while connecting, for each later user. */
        private final List<String> warnings;
        /** Guarded by this; the user who connected is the first. */
        private int users = 1;
        /** Guarded by this: its last user left, or its link was lost; nobody may take it any more. */
        private boolean ended;

        Shared(K key, CompletableFuture<Shared> entry, C connection, List<String> warnings) {
            this.key = key;
            this.entry = entry;
            this.connection = connection;
            this.warnings = warnings;
        }

        /** Counts one more user, unless it ended or closed (then it ends); whether it did. */
        synchronized boolean retain() {
            if (ended || !open.test(connection)) {
                ended = true;
                return false;
            }
            users++;
            return true;
        }

        Lease<C> lease() {
            return new Lease<>(connection, this::release);
        }

        /** Its link was lost: nobody takes it any more, while its users close their leases. */
        synchronized void end() {
            ended = true;
        }

        private void release() {
            synchronized (this) {
                if (--users > 0) {
                    return;
                }
                ended = true;
            }
            live.remove(key, entry);
            disconnect.accept(connection);
        }
    }

    /**
     * One user's hold on a shared connection, given back by {@link #close}.
     *
     * @param <C> the connection
     */
    static final class Lease<C> implements AutoCloseable {
        private final C connection;
        private final Runnable release;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(C connection, Runnable release) {
            this.connection = connection;
            this.release = release;
        }

        /** The connection, shared with the other holders. */
        C connection() {
            return connection;
        }

        /** Gives the hold back; the last one disconnects. Closing it again does nothing. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release.run();
            }
        }
    }
}
