package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.remote.ConnectionLostException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;
import org.junit.jupiter.api.Test;

/** Which failures are the link's, which the connection hears of, and which are a path's own or the caller's. */
class SftpErrorMapperTest {
    private final AtomicInteger linkLost = new AtomicInteger();
    private final SftpErrorMapper errors = new SftpErrorMapper(new SSHClient(new TunedConfig()), "lake@host:22",
            linkLost::incrementAndGet);

    @Test
    void aReplyThatTimedOut_isALostLink_andTheConnectionHearsOfIt() {
        SFTPException timeout = SFTPException.chainer.chain(new TimeoutException("Timeout expired: 60000 MILLISECONDS"));

        assertThrows(ConnectionLostException.class, () -> errors.call("/a", () -> {
            throw timeout;
        }));
        assertEquals(1, linkLost.get());
    }

    @Test
    void aMissingPath_isThePathsOwn() {
        SFTPException missing = new SFTPException(Response.StatusCode.NO_SUCH_FILE, "no such file");

        assertThrows(NoSuchFileException.class, () -> errors.call("/a", () -> {
            throw missing;
        }));
        assertEquals(0, linkLost.get());
    }

    @Test
    void anInterruptedWait_isTheCallers_andKeepsTheFlag() {
        SFTPException interrupted = SFTPException.chainer.chain(new InterruptedException());
        try {
            InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> errors.call("/a", () -> {
                throw interrupted;
            }));
            assertInstanceOf(SFTPException.class, e.getCause());
            assertTrue(Thread.interrupted(), "the interrupt the wait swallowed is set again (and cleared here)");
            assertEquals(0, linkLost.get(), "a cancelled run must not break a connection other profiles use");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptedWait_endsTheWholeCall_ratherThanFailingOnePath() {
        SFTPException interrupted = SFTPException.chainer.chain(new InterruptedException());
        try {
            assertThrows(InterruptedIOException.class, () -> errors.mapped(interrupted, "/dir"));
        } finally {
            Thread.interrupted();
        }
    }
}
