package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * OpenSSH serves each SFTP session from a process of its own, so each session gets its own
 * handle permits there; any other server's sessions share one set, since one process may serve
 * them all.
 */
class HandlePermitsTest {
    @Test
    void openSshSessions_eachHaveTheirOwnPermits() throws InterruptedIOException {
        Supplier<HandlePermits> sessions = HandlePermits.forServer("OpenSSH_9.2p1 Debian-2+deb12u3");
        HandlePermits first = sessions.get();
        HandlePermits second = sessions.get();
        assertNotSame(first, second);

        first.take(HandlePermits.PER_PROCESS, "many files");
        try {
            second.take(HandlePermits.PER_PROCESS, "many files"); // would wait forever if shared
            second.release(HandlePermits.PER_PROCESS);
        } finally {
            first.release(HandlePermits.PER_PROCESS);
        }
    }

    @Test
    void otherServersSessions_shareOneSetOfPermits() {
        for (String server : new String[] {"APACHE-SSHD-2.16.0", "mod_sftp/1.0.0", "", null}) {
            Supplier<HandlePermits> sessions = HandlePermits.forServer(server);
            assertSame(sessions.get(), sessions.get(), String.valueOf(server));
        }
    }

    @Test
    void waitingForPermits_endsWhenInterrupted() throws InterruptedIOException {
        HandlePermits permits = HandlePermits.forServer("OpenSSH_9.2").get();
        permits.take(HandlePermits.PER_PROCESS, "many files");
        Thread.currentThread().interrupt();
        try {
            InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> permits.take(1, "/a"));
            assertEquals("interrupted while waiting to read /a", e.getMessage());
            assertTrue(Thread.interrupted()); // the flag is kept, and cleared here
        } finally {
            permits.release(HandlePermits.PER_PROCESS);
        }
    }
}
