package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunExecutorTest {
    private final WorkerPool pool = new WorkerPool(8, WorkerPool.DAEMONS);

    @Test
    void aRunNeverHasMoreTasksRunningThanItsLimit() throws Exception {
        var run = pool.transfers("p", 3);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            futures.add(run.submit(() -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                sleep(5);
                now.decrementAndGet();
            }));
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(3, most.get());
    }

    @Test
    void twoRunsShareThePoolAndEachRunsWhileTheOtherIsFull() throws Exception {
        var busy = pool.transfers("busy", 4);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            busy.submit(() -> await(release));
        }
        var other = pool.transfers("other", 4);
        AtomicBoolean ran = new AtomicBoolean();
        other.submit(() -> ran.set(true)).get(10, TimeUnit.SECONDS);
        assertTrue(ran.get());
        release.countDown();
        busy.shutdown();
        assertTrue(busy.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void shutdownNowStopsOnlyItsOwnRunAndLeavesNoInterruptBehind() throws Exception {
        var stopped = pool.transfers("stopped", 2);
        var going = pool.transfers("going", 2);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            stopped.submit(() -> {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            });
        }
        Future<?> never = stopped.submit(() -> { });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CountDownLatch release = new CountDownLatch(1);
        Future<?> other = going.submit(() -> await(release));

        assertEquals(1, stopped.shutdownNow().size());
        assertTrue(stopped.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(2, interrupted.get());
        assertFalse(never.isDone());
        assertFalse(other.isDone());
        release.countDown();
        other.get(10, TimeUnit.SECONDS);
        // the threads the stopped run used carry no interrupt into the next run's tasks
        AtomicInteger clean = new AtomicInteger();
        var next = pool.transfers("next", 8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(next.submit(() -> {
                if (!Thread.currentThread().isInterrupted()) {
                    clean.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(8, clean.get());
    }

    @Test
    void idleThreadsAreReused_aPoolGrowsOnlyWhenAllAreBusy() throws Exception {
        AtomicInteger made = new AtomicInteger();
        WorkerPool counted = new WorkerPool(64, r -> {
            made.incrementAndGet();
            return WorkerPool.DAEMONS.newThread(r);
        });
        var run = counted.transfers("p", 16);
        for (int i = 0; i < 200; i++) {
            run.submit(() -> { }).get(10, TimeUnit.SECONDS); // one at a time: one thread does them all
        }
        assertTrue(made.get() <= 8, made.get() + " threads for tasks that never overlapped"); // a few: a thread is busy until it hands back

        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> busy = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            busy.add(run.submit(() -> await(release)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (made.get() < 16 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(made.get() >= 16, "busy threads make the pool grow: " + made.get());
        release.countDown();
        for (Future<?> f : busy) {
            f.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void threadsCarryTheRunsNameWhileTheyWorkForIt() throws Exception {
        String name = pool.transfers("cex_ticks", 1).submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        assertEquals("lake-cex_ticks-transfer", name);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
