package io.quantsinfra.lake.sftp;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One deadline for making an SSH session (rsync's {@code --contimeout}), from the start of the
 * TCP connect to the end of authentication, whatever stage the time goes in. When it passes
 * before {@link #close}, a watchdog thread closes the connection's socket: that ends every wait
 * of the connecting thread at once (a read of the server's identification, the key exchange, an
 * authentication answer), which then fails, and {@link #stage()} tells where it stopped. Each
 * connection attempt has its own deadline and thread.
 */
final class ConnectDeadline implements AutoCloseable {
    /** The stages of making a session, in order, each with what its failure says and how to fix it. */
    enum Stage {
        /** From the start: the TCP connect. */
        TCP_CONNECT("no TCP connection to %s within %s",
                "check host and port and the network path to %s (e.g. is the Tailscale peer online?)"),
        /** TCP is up: waiting for the server's identification line ({@code SSH-2.0-...}). */
        IDENTIFICATION("no SSH identification from %s within %s",
                "the host accepts TCP but its SSH server does not answer: sshd on %s is down or wedged, another program"
                        + " holds the port, or a Tailscale peer is dead"),
        /** The server identified itself: algorithm negotiation, key exchange and the host key check. */
        KEY_EXCHANGE("the SSH key exchange with %s did not finish within %s",
                "sshd on %s answered but stalled in the key exchange: it may be overloaded, or the link may drop large"
                        + " packets (check the MTU of a VPN)"),
        /** The session is encrypted: the login with the key. */
        AUTHENTICATION("authentication of %s did not finish within %s",
                "sshd on %s did not answer the login: it may be overloaded, or its account lookups hang (PAM, LDAP, a"
                        + " home directory on a dead network mount)");

        private final String message;
        private final String hint;

        Stage(String message, String hint) {
            this.message = message;
            this.hint = hint;
        }

        /** What failed, e.g. "no SSH identification from lake@host:22 within 5 s". */
        String message(String where, Duration bound) {
            return String.format(message, where, bound.toSeconds() + " s");
        }

        /** Why a stage stalls on {@code host}, and the option that bounds it. */
        String hint(String host) {
            return String.format(hint, host) + "; the bound is --contimeout in rsync_args";
        }
    }

    private final Duration bound;
    private final long deadlineNanos;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Stage stage = Stage.TCP_CONNECT;
    private volatile Socket socket;

    /** Starts the clock, and the watchdog, now. */
    ConnectDeadline(Duration bound) {
        this.bound = bound;
        this.deadlineNanos = System.nanoTime() + bound.toNanos();
        Thread watchdog = new Thread(this::watch, "lake-connect-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The whole time allowed. */
    Duration bound() {
        return bound;
    }

    /** The socket to close when the deadline passes. */
    void guard(Socket connection) {
        socket = connection;
    }

    /** Records that the connection reached {@code next}. */
    void enter(Stage next) {
        stage = next;
    }

    /** The stage the connection is in, or stopped in. */
    Stage stage() {
        return stage;
    }

    /** Whether the deadline has passed: a failure from then on is the deadline's doing. */
    boolean passed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** The session is made (or the attempt failed): stops the watchdog. */
    @Override
    public void close() {
        ended.countDown();
    }

    private void watch() {
        try {
            if (ended.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            return; // nobody interrupts it; if someone does, the connection's own timeouts remain
        }
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all that is asked; the connecting thread reports the failure
            }
        }
    }
}
