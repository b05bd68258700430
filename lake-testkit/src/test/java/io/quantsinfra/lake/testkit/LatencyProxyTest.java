package io.quantsinfra.lake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LatencyProxyTest {

    /** A server on 127.0.0.1 that runs {@code handler} for each accepted connection on its own thread. */
    private static final class TargetServer implements AutoCloseable {
        interface Handler {
            void handle(Socket socket) throws Exception;
        }

        private final ServerSocket server;

        TargetServer(Handler handler) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread worker = new Thread(() -> {
                            try (socket) {
                                handler.handle(socket);
                            } catch (Exception ignored) {
                                // the test sees the effect on its side
                            }
                        });
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void echo(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
        socket.shutdownOutput();
    }

    private static Socket connect(LatencyProxy proxy) throws IOException {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        return socket;
    }

    @Test
    void passesBytesUnchangedInBothDirectionsAndForwardsHalfClose() throws Exception {
        byte[] request = random(3_000_000, 1);
        byte[] response = random(1_500_000, 2);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        // The server answers only after it has seen the client's end of stream: that needs a forwarded half-close.
        try (TargetServer target = new TargetServer(socket -> {
            byte[] all = socket.getInputStream().readAllBytes();
            received.complete(all);
            socket.getOutputStream().write(response);
            socket.shutdownOutput();
        });
                LatencyProxy proxy = LatencyProxy.start(0, target.port(), Duration.ofMillis(5), 0);
                Socket client = connect(proxy)) {
            client.getOutputStream().write(request);
            client.shutdownOutput();
            byte[] answer = client.getInputStream().readAllBytes();
            assertArrayEquals(request, received.get(20, TimeUnit.SECONDS));
            assertArrayEquals(response, answer);
        }
    }

    @Test
    void streamsBothDirectionsAtOnceInOrder() throws Exception {
        byte[] payload = random(4_000_000, 3);
        try (TargetServer target = new TargetServer(LatencyProxyTest::echo);
                LatencyProxy proxy = LatencyProxy.start(0, target.port(), Duration.ofMillis(2), 0);
                Socket client = connect(proxy)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int off = 0; off < payload.length; off += 1000) {
                        out.write(payload, off, Math.min(1000, payload.length - off));
                    }
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = client.getInputStream().readAllBytes();
            sent.get(20, TimeUnit.SECONDS);
            assertArrayEquals(payload, echoed);
        }
    }

    @Test
    void roundTripTakesAtLeastTwiceTheDelay() throws Exception {
        Duration delay = Duration.ofMillis(50);
        try (TargetServer target = new TargetServer(LatencyProxyTest::echo);
                LatencyProxy proxy = LatencyProxy.start(0, target.port(), delay, 0);
                Socket client = connect(proxy)) {
            assertEquals(delay, proxy.oneWayDelay());
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                out.write('x' + i);
                out.flush();
                assertEquals('x' + i, in.read());
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= 2 * delay.toNanos(),
                        "round trip took " + elapsed / 1e6 + " ms, less than twice the " + delay.toMillis() + " ms delay");
            }
        }
    }

    @Test
    void rateCapSlowsABulkTransfer() throws Exception {
        long rate = 1_000_000;
        byte[] payload = random(200_000, 4);
        try (TargetServer target = new TargetServer(socket -> socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
                LatencyProxy capped = LatencyProxy.start(0, target.port(), Duration.ZERO, rate);
                Socket client = connect(capped)) {
            long start = System.nanoTime();
            client.getOutputStream().write(payload);
            client.shutdownOutput();
            // The target closes once it has read everything, so this returns after the last byte got through.
            assertEquals(0, client.getInputStream().readAllBytes().length);
            long elapsed = System.nanoTime() - start;
            // The first 10 ms slice may leave at once; every later byte waits for the cap.
            long slice = rate / 100;
            long lowerBound = (payload.length - slice) * 1_000_000_000L / rate;
            assertTrue(elapsed >= lowerBound, "200 kB at 1 MB/s took only " + elapsed / 1e6 + " ms");
        }
    }

    @Test
    void closeStopsListeningAndCutsOpenConnections() throws Exception {
        try (TargetServer target = new TargetServer(LatencyProxyTest::echo)) {
            LatencyProxy proxy = LatencyProxy.start(0, target.port(), Duration.ofMillis(1), 0);
            int port = proxy.port();
            try (Socket client = connect(proxy)) {
                client.getOutputStream().write(7);
                assertEquals(7, client.getInputStream().read());
                assertEquals(1, proxy.activeConnections());

                proxy.close();

                assertTrue(proxy.isClosed());
                assertTrue(proxy.awaitClosed(Duration.ZERO));
                assertEquals(0, proxy.activeConnections());
                assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
                int next;
                try {
                    next = client.getInputStream().read();
                } catch (IOException reset) {
                    next = -1;
                }
                assertEquals(-1, next, "the open connection must be cut");
            }
            proxy.close(); // idempotent
        }
    }

    @Test
    void programStopsAfterMaxSecondsAndRejectsBadArguments() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TargetServer target = new TargetServer(LatencyProxyTest::echo)) {
            int code = LatencyProxy.run(new String[] {"--target", String.valueOf(target.port()), "--delay-ms=5",
                "--max-seconds", "1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("listening on 127.0.0.1:"), out.toString());
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        assertEquals(2, LatencyProxy.run(new String[] {"--delay-ms", "5"}, sink, sink));
        assertEquals(2, LatencyProxy.run(new String[] {"--target", "x"}, sink, sink));
        assertEquals(2, LatencyProxy.run(new String[] {"--target", "22", "--bogus", "1"}, sink, sink));
        assertEquals(2, LatencyProxy.run(new String[] {"--target", "70000"}, sink, sink));
    }
}
