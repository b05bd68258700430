package io.quantsinfra.lake.sftp;

import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The remote handles (files and directories) that may be open at once in one server process,
 * counted from their OPEN until their CLOSE is sent (a few dozen CLOSEs may still be on their
 * way). Each is a descriptor there, and sshd usually runs with a soft limit of 1,024: past it,
 * OPENs fail. Without a bound a sync of a thousand directories held a thousand.
 *
 * <p>OpenSSH serves each SFTP channel from a process of its own, so there each session has its
 * own permits, and a run at a high round trip keeps as many files in flight as it has workers
 * for; any other server gets one set of permits for all the connection's sessions, since it
 * may serve them all from one process.
 */
final class HandlePermits {
    /** Handles open at once per server process: below 1,024 with room for the server's own descriptors. */
    static final int PER_PROCESS = 640;

    private final Semaphore permits = new Semaphore(PER_PROCESS, true);

    /**
     * Where each new session of a connection to a server that names itself {@code serverVersion}
     * (its identification string without {@code SSH-2.0-}) takes its permits from.
     */
    static Supplier<HandlePermits> forServer(String serverVersion) {
        if (serverVersion != null && serverVersion.startsWith("OpenSSH")) {
            return HandlePermits::new;
        }
        HandlePermits shared = new HandlePermits();
        return () -> shared;
    }

    /** Takes {@code n} permits, waiting as long as it takes; {@code what} is read, for the message. */
    void take(int n, String what) throws InterruptedIOException {
        SharedReadState.take(permits, n, what);
    }

    /** Gives back {@code n} permits: their CLOSEs are sent, or they never opened. */
    void release(int n) {
        permits.release(n);
    }
}
