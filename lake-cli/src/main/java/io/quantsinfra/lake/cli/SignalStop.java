package io.quantsinfra.lake.cli;

import io.quantsinfra.lake.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGINT and SIGTERM while a sync runs: a shutdown hook cancels every run, waits until they have
 * recorded {@code interrupted} and the report is printed, then ends the process with the code
 * the report shows: 130 for either signal. Left alone, the JVM would exit 143 on SIGTERM while
 * the JSON said 130, and systemd would count {@code systemctl stop} as a failure.
 */
final class SignalStop implements AutoCloseable {
    /** How long a signal waits for the runs to record their checkpoints. */
    private static final long GRACE_SECONDS = 30;

    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(ExitCode.INTERRUPTED);
    private final Thread hook;

    /** Cancels {@code cancellation} on SIGINT or SIGTERM, until closed. */
    SignalStop(Cancellation cancellation) {
        this.hook = new Thread(() -> {
            cancellation.cancel();
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(exitCode.get());
        }, "quants-infra-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command ended with {@code code}, its report printed: a signal ends the process with it. */
    void done(int code) {
        exitCode.set(code);
        done.countDown();
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
    }
}
