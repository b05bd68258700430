package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How connections are shared by key, waited for, ended by their last user, and dropped once lost. */
@Timeout(10)
class SharedConnectionsTest {
    /** A stand-in for a connection: its number, in the order made, whether it was ended, and whether it closed. */
    private static final class Link {
        final int number;
        final AtomicBoolean disconnected = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        Link(int number) {
            this.number = number;
        }
    }

    private final SharedConnections<String, Link> pool = new SharedConnections<>(l -> l.disconnected.set(true),
            l -> !l.closed.get());
    private final AtomicInteger made = new AtomicInteger();
    /** The lost hook of the last link made. */
    private final AtomicReference<Runnable> lost = new AtomicReference<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopThreads() {
        threads.forEach(Thread::interrupt);
    }

    /** Makes a new link at once. */
    private Link connect(Consumer<String> warnings, Runnable lostHook) {
        lost.set(lostHook);
        return new Link(made.incrementAndGet());
    }

    private SharedConnections.Lease<Link> open(String key) {
        return pool.open(key, this::connect, w -> { });
    }

    @Test
    void usersOfOneKey_shareOneConnection_otherKeysGetTheirOwn() {
        SharedConnections.Lease<Link> a = open("lake@host:22");
        SharedConnections.Lease<Link> b = open("lake@host:22");
        SharedConnections.Lease<Link> other = open("lake@host:2222");

        assertSame(a.connection(), b.connection());
        assertNotSame(a.connection(), other.connection());
        assertEquals(2, made.get());
    }

    @Test
    void theLastUserToClose_disconnects_andTheNextOpenConnectsAnew() {
        SharedConnections.Lease<Link> a = open("k");
        SharedConnections.Lease<Link> b = open("k");
        Link first = a.connection();

        a.close();
        a.close(); // a second close gives nothing back again
        assertFalse(first.disconnected.get(), "b still uses it");
        b.close();
        assertTrue(first.disconnected.get());

        SharedConnections.Lease<Link> c = open("k");
        assertNotSame(first, c.connection());
        assertEquals(2, made.get());
    }

    @Test
    void usersWhoAskWhileItIsBeingMade_waitForThatOneHandshake_andHearItsWarnings() throws Exception {
        CountDownLatch proceed = new CountDownLatch(1);
        SharedConnections.Connect<Link> slow = (warnings, lostHook) -> {
            await(proceed);
            warnings.accept("key file readable by others");
            return connect(warnings, lostHook);
        };
        List<List<String>> heard = new ArrayList<>();
        List<CompletableFuture<Link>> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> mine = new CopyOnWriteArrayList<>();
            heard.add(mine);
            users.add(onItsOwnThread(() -> pool.open("k", slow, mine::add).connection()));
        }
        awaitAllParked();
        proceed.countDown();

        for (CompletableFuture<Link> u : users) {
            assertSame(users.get(0).get(), u.get());
        }
        assertEquals(1, made.get());
        for (List<String> h : heard) {
            assertEquals(List.of("key file readable by others"), h, "every user hears the connection's warnings");
        }
    }

    @Test
    void aFailedConnect_isEveryWaitersFailure_andTheNextOpenTriesAnew() throws Exception {
        CountDownLatch proceed = new CountDownLatch(1);
        LakeException dead = new LakeException(LakeException.Kind.CONNECTION, "lake@host:22", "no SSH identification", "");
        SharedConnections.Connect<Link> failing = (warnings, lostHook) -> {
            made.incrementAndGet();
            await(proceed);
            throw dead;
        };
        List<CompletableFuture<Link>> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(onItsOwnThread(() -> pool.open("k", failing, w -> { }).connection()));
        }
        awaitAllParked();
        proceed.countDown();

        for (CompletableFuture<Link> u : users) {
            ExecutionException e = assertThrows(ExecutionException.class, u::get);
            assertSame(dead, e.getCause());
        }
        assertEquals(1, made.get(), "one attempt for all");
        assertEquals(2, open("k").connection().number, "the failure was not kept");
    }

    @Test
    void aLostConnection_isNeverHandedOutAgain_whileItsUsersStillClose() {
        SharedConnections.Lease<Link> a = open("k");
        SharedConnections.Lease<Link> b = open("k");
        Link broken = a.connection();

        lost.get().run();
        SharedConnections.Lease<Link> c = open("k");

        assertNotSame(broken, c.connection());
        a.close();
        b.close();
        assertTrue(broken.disconnected.get(), "its last user ends it");
        assertFalse(c.connection().disconnected.get(), "closing the lost one's leases leaves the new one alone");
        assertSame(c.connection(), open("k").connection());
    }

    /** Runs {@code open} on a thread of its own. */
    private CompletableFuture<Link> onItsOwnThread(Supplier<Link> open) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(open.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        threads.add(t);
        t.start();
        return result;
    }

    /** Waits until every thread started waits: one connecting, the others for its handshake. */
    private void awaitAllParked() throws InterruptedException {
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING)) {
            Thread.sleep(5);
        }
    }

    @Test
    void aConnectionThatClosedOnItsOwn_isNotHandedOut() {
        SharedConnections.Lease<Link> a = open("k");
        a.connection().closed.set(true); // e.g. its keepalive found the peer dead

        SharedConnections.Lease<Link> b = open("k");

        assertNotSame(a.connection(), b.connection());
        a.close();
        assertFalse(b.connection().disconnected.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
