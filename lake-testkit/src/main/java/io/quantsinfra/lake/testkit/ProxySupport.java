package io.quantsinfra.lake.testkit;

import java.util.concurrent.locks.LockSupport;

/** What the test proxies share: a bandwidth pacer and quiet thread and socket handling. */
final class ProxySupport {
    /** How long closing waits for a forwarding thread. */
    static final long JOIN_MILLIS = 2_000;

    private ProxySupport() {
    }

    /** A bandwidth cap for one direction; a rate of 0 means none. */
    static final class Pacer {
        private long bytesPerSecond;
        private long nextFree = System.nanoTime();

        Pacer(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        /** Changes the rate; 0 lifts the cap. */
        synchronized void setRate(long rate) {
            bytesPerSecond = rate;
            nextFree = System.nanoTime();
        }

        /** Slices of about 10 ms of the rate, between 512 bytes and {@code max}. */
        synchronized int sliceBytes(int max) {
            return bytesPerSecond == 0 ? max : (int) Math.max(512, Math.min(max, bytesPerSecond / 100));
        }

        /** Reserves the link for {@code n} bytes and returns when they may start. */
        synchronized long reserve(int n) {
            long now = System.nanoTime();
            if (bytesPerSecond == 0) {
                return now;
            }
            long start = Math.max(now, nextFree);
            nextFree = start + (long) (n * 1_000_000_000.0 / bytesPerSecond);
            return start;
        }
    }

    /** Sleeps until {@link System#nanoTime()} reaches {@code nanoTime}. */
    static void sleepUntil(long nanoTime) throws InterruptedException {
        while (true) {
            long wait = nanoTime - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Waits a bounded time for {@code thread}, unless it is this one or was never started. */
    static void joinQuietly(Thread thread) {
        if (thread == Thread.currentThread() || thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes, ignoring failures: the proxy is shutting the connection down anyway. */
    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
