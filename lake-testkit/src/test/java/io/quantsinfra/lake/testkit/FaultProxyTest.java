package io.quantsinfra.lake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each fault of {@link FaultProxy} against a plain TCP peer. */
@Tag("reliability")
@Timeout(30)
class FaultProxyTest {
    private static final byte[] PAYLOAD = new byte[200_000];

    static {
        new Random(7).nextBytes(PAYLOAD);
    }

    private ServerSocket target;
    /** What the target received on each connection, once that connection ends. */
    private final BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(16);
    private volatile boolean sendPayload;
    private volatile boolean echo;
    private FaultProxy proxy;

    @BeforeEach
    void startTarget() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getByName(FaultProxy.HOST));
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = target.accept();
                    Thread h = new Thread(() -> serve(s));
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = FaultProxy.start(0, target.getLocalPort());
    }

    private void serve(Socket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (s) {
            if (sendPayload) {
                s.getOutputStream().write(PAYLOAD);
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                if (echo) {
                    s.getOutputStream().write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the proxy cut us
        }
        received.add(got.toByteArray());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        target.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(FaultProxy.HOST, proxy.port()), 5000);
        return s;
    }

    @Test
    void healthy_forwardsBothWaysUnchanged() throws Exception {
        sendPayload = true;
        try (Socket s = connect()) {
            s.getOutputStream().write(PAYLOAD, 0, 5000);
            s.shutdownOutput();
            assertArrayEquals(PAYLOAD, s.getInputStream().readAllBytes());
        }
        assertArrayEquals(Arrays.copyOf(PAYLOAD, 5000), received.poll(10, TimeUnit.SECONDS));
        assertEquals(PAYLOAD.length, proxy.bytesForwarded(FaultProxy.Direction.DOWNSTREAM));
        assertEquals(5000, proxy.bytesForwarded(FaultProxy.Direction.UPSTREAM));
    }

    @Test
    void cutDownstream_deliversExactlyNBytesThenCloses() throws Exception {
        sendPayload = true;
        proxy.cutAfter(FaultProxy.Direction.DOWNSTREAM, 12_345);
        try (Socket s = connect()) {
            byte[] got = s.getInputStream().readAllBytes();
            assertArrayEquals(Arrays.copyOf(PAYLOAD, 12_345), got);
        }
        assertEquals(1, proxy.cuts());
        // one-shot: the next connection is healthy
        try (Socket s = connect()) {
            assertArrayEquals(PAYLOAD, s.getInputStream().readAllBytes());
        }
    }

    @Test
    void cutUpstream_deliversExactlyNBytesToTheServer() throws Exception {
        proxy.cutAfter(FaultProxy.Direction.UPSTREAM, 70_001);
        try (Socket s = connect()) {
            try {
                s.getOutputStream().write(PAYLOAD);
            } catch (IOException expected) {
                // the proxy may have closed before we finished writing
            }
            assertEquals(-1, s.getInputStream().read(), "the client sees the connection end");
        }
        assertArrayEquals(Arrays.copyOf(PAYLOAD, 70_001), received.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void latency_delaysEachDirection() throws Exception {
        echo = true;
        proxy.latency(Duration.ofMillis(100));
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 200, "round trip " + ms + " ms");
        }
    }

    @Test
    void bandwidth_capsTheRate() throws Exception {
        sendPayload = true;
        proxy.bandwidth(500_000);
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            assertArrayEquals(PAYLOAD, s.getInputStream().readAllBytes());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 300, "200 KB at 500 KB/s took " + ms + " ms");
        }
    }

    @Test
    void blackhole_stopsForwardingWithoutClosing_andHealHelpsNewConnections() throws Exception {
        echo = true;
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            proxy.blackhole();
            s.getOutputStream().write(2);
            s.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            assertEquals(1, proxy.activeConnections(), "still open");
            proxy.heal();
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "a blackholed connection stays dead");
            try (Socket fresh = connect()) {
                fresh.getOutputStream().write(3);
                fresh.setSoTimeout(5000);
                assertEquals(3, fresh.getInputStream().read());
            }
        }
    }

    @Test
    void reset_abortsWithRst() throws Exception {
        echo = true;
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            proxy.reset();
            SocketException e = assertThrows(SocketException.class, () -> {
                s.getInputStream().read();
                s.getOutputStream().write(new byte[1000]);
                s.getInputStream().read();
            });
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
        assertEquals(0, proxy.activeConnections());
    }

    @Test
    void main_helpAndUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, FaultProxy.run(new String[] {"--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--cut-down"));
        assertEquals(2, FaultProxy.run(new String[] {"--listen", "0"}, o, e));
        assertEquals(2, FaultProxy.run(new String[] {"--target", "x"}, o, e));
        assertEquals(0, FaultProxy.run(new String[] {"--target", String.valueOf(target.getLocalPort()), "--max-seconds", "1"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("listening on 127.0.0.1:"));
    }
}
