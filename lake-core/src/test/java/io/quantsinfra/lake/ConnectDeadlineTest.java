package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --contimeout} bounds everything up to an authenticated session, whatever stage the
 * server stalls in, and names that stage; it does not bound the session once it is made.
 */
@ExtendWith(SftpServerExtension.class)
@Timeout(60)
class ConnectDeadlineTest {
    /** Far above the 2 s deadline, far below the 60 s I/O timeout that used to bound the same waits. */
    private static final Duration GENEROUS = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    /**
     * A TCP server on loopback that accepts every connection, sends {@code greeting} (perhaps
     * nothing), then never speaks again, like a wedged sshd or a dead peer behind a live relay.
     */
    private static final class MuteServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();

        MuteServer(String greeting) throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = listener.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                        s.getOutputStream().write(greeting.getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "mute-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /** Syncs, expects a connection failure within {@link #GENEROUS} that names --contimeout, and checks nothing arrived. */
    private LakeException syncFails(SftpTestServer server, String rsyncArgs, Consumer<DataLakeConfig.ProfileBuilder> extra)
            throws IOException {
        DataLake lake = new DataLake(LakeFixture.config(server, tmp.resolve("lake"), rsyncArgs, extra));
        long start = System.nanoTime();
        LakeException e = assertThrows(LakeException.class, () -> lake.sync("p", LakeFixture.options(), SyncListener.NONE));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(GENEROUS) < 0, "took " + took);
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        assertTrue(e.hint().orElseThrow().contains("--contimeout"), e.hint().toString());
        assertEquals(Map.of(), LakeFixture.snapshot(tmp.resolve("lake/mirror")), "nothing may be mirrored");
        return e;
    }

    @Test
    void hostThatAcceptsTcpButNeverSpeaks_failsAtTheDeadline_namingTheIdentification(SftpTestServer server) throws Exception {
        try (MuteServer mute = new MuteServer("")) {
            LakeException e = syncFails(server, "-a --contimeout=2 --timeout=60", p -> p.port(mute.port()));

            assertEquals("no SSH identification from lake@127.0.0.1:" + mute.port() + " within 2 s", e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("the host accepts TCP but its SSH server does not answer"),
                    e.hint().toString());
        }
    }

    @Test
    void serverThatIdentifiesItselfThenStalls_failsAtTheDeadline_namingTheKeyExchange(SftpTestServer server) throws Exception {
        try (MuteServer mute = new MuteServer("SSH-2.0-OpenSSH_9.6\r\n")) {
            LakeException e = syncFails(server, "-a --contimeout=2", p -> p.port(mute.port()));

            assertEquals("the SSH key exchange with lake@127.0.0.1:" + mute.port() + " did not finish within 2 s",
                    e.getMessage());
        }
    }

    @Test
    void serverWhoseLoginHangs_failsAtTheDeadline_namingTheAuthentication() throws Exception {
        try (SftpTestServer stalling = SftpTestServer.builder(tmp.resolve("remote")).stallAuthentication().start()) {
            Files.writeString(stalling.servedRoot().resolve("f.parquet"), "data");

            LakeException e = syncFails(stalling, "-a --contimeout=2", p -> { });

            assertEquals("authentication of lake@127.0.0.1:" + stalling.port() + " did not finish within 2 s", e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("account lookups hang"), e.hint().toString());
        }
    }

    @Test
    void theDeadlineEndsWithTheLogin_aSlowerTransferIsNotCut(SftpTestServer server) throws Exception {
        Files.writeString(server.servedRoot().resolve("f.parquet"), "data");
        server.stallRead("f.parquet", Duration.ofSeconds(2));

        SyncReport report = new DataLake(LakeFixture.config(server, tmp.resolve("lake"), "-a --contimeout=1"))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(1, report.filesTransferred());
        assertEquals(0, report.reconnects());
    }
}
