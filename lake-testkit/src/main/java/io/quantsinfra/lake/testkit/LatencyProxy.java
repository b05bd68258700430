package io.quantsinfra.lake.testkit;

import static io.quantsinfra.lake.testkit.ProxySupport.closeQuietly;
import static io.quantsinfra.lake.testkit.ProxySupport.joinQuietly;
import static io.quantsinfra.lake.testkit.ProxySupport.sleepUntil;

import io.quantsinfra.lake.testkit.ProxySupport.Pacer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on the loopback interface that adds a fixed one-way delay in each direction and, optionally, a
 * bandwidth cap: a stand-in for a distant link when benchmarking or testing against a local server.
 *
 * <p>The proxy listens on {@code 127.0.0.1:port()} and opens one connection to {@code 127.0.0.1:targetPort} for
 * every client it accepts. Each direction of each connection has a reader thread and a writer thread. The reader
 * stamps every chunk it receives with its arrival time plus the delay and queues it; the writer sends each chunk
 * when it is due. The delay is therefore a true time shift: a 20 ms delay each way gives a 40 ms round trip and
 * does not, by itself, limit throughput (at most {@link #MAX_QUEUED_BYTES} bytes wait per direction and connection,
 * so a fast sender is held back only at about {@code MAX_QUEUED_BYTES / delay} bytes per second).
 *
 * <p>Bytes keep their order. A half-close is forwarded: when one side shuts down its output, the proxy shuts
 * down its output towards the other side once the queued bytes have been sent, and the other direction goes on.
 * A reset or I/O error on either side closes both sockets of that connection.
 *
 * <p>With a bandwidth cap, each direction (shared by all connections) sends at most {@code bytesPerSecond} bytes
 * per second, paced in slices of about 10 ms.
 *
 * <p>The proxy terminates TCP on both sides, so TCP-level effects of a long path (slow start, the
 * acknowledgement clock that makes Nagle's algorithm cost a round trip) are not reproduced; what is reproduced is
 * the time every byte needs to reach the other application.
 *
 * <p>Run it as a program with {@link #main}, or embed it:
 *
 * <pre>{@code
 * try (LatencyProxy proxy = LatencyProxy.start(0, sshPort, Duration.ofMillis(20), 0)) {
 *     connect("127.0.0.1", proxy.port());   // 40 ms round trip to the server at sshPort
 * }
 * }</pre>
 */
public final class LatencyProxy implements AutoCloseable, ProxyCommand.Running {

    /** The address the proxy listens on and connects to. */
    public static final String HOST = LoopbackListener.HOST;

    /** The largest chunk read from a socket at once. */
    public static final int CHUNK_SIZE = 64 * 1024;

    /** The most bytes that may wait in one direction of one connection before the proxy stops reading. */
    public static final int MAX_QUEUED_BYTES = 32 * 1024 * 1024;

    private final LoopbackListener listener;
    private final long delayNanos;
    private final long bytesPerSecond;
    private final Pacer upstreamPacer;
    private final Pacer downstreamPacer;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    private LatencyProxy(LoopbackListener listener, Duration oneWayDelay, long bytesPerSecond) {
        this.listener = listener;
        this.delayNanos = oneWayDelay.toNanos();
        this.bytesPerSecond = bytesPerSecond;
        this.upstreamPacer = bytesPerSecond > 0 ? new Pacer(bytesPerSecond) : null;
        this.downstreamPacer = bytesPerSecond > 0 ? new Pacer(bytesPerSecond) : null;
    }

    /**
     * Starts a proxy that listens on {@code 127.0.0.1:listenPort} and forwards to {@code 127.0.0.1:targetPort}.
     *
     * @param listenPort the port to listen on, or {@code 0} for an ephemeral port (see {@link #port()})
     * @param targetPort the port on 127.0.0.1 every accepted connection is forwarded to
     * @param oneWayDelay the delay added to every byte in each direction; zero for none
     * @param bytesPerSecond the bandwidth cap of each direction, or {@code 0} for no cap
     * @return the running proxy; close it to stop it
     * @throws IOException if the listening socket cannot be bound
     * @throws IllegalArgumentException if a port is out of range or the delay or rate is negative
     */
    public static LatencyProxy start(int listenPort, int targetPort, Duration oneWayDelay, long bytesPerSecond)
            throws IOException {
        Objects.requireNonNull(oneWayDelay, "oneWayDelay");
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + oneWayDelay);
        }
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative, got " + bytesPerSecond);
        }
        LatencyProxy proxy = new LatencyProxy(LoopbackListener.bind("latency-proxy", listenPort, targetPort),
                oneWayDelay, bytesPerSecond);
        proxy.listener.start(proxy::link, proxy::close);
        return proxy;
    }

    /**
     * The port the proxy listens on.
     *
     * @return the bound port on 127.0.0.1
     */
    public int port() {
        return listener.port();
    }

    /**
     * The port every connection is forwarded to.
     *
     * @return the target port on 127.0.0.1
     */
    public int targetPort() {
        return listener.targetPort();
    }

    /**
     * The delay added in each direction.
     *
     * @return the one-way delay; the round trip through the proxy takes at least twice this
     */
    public Duration oneWayDelay() {
        return Duration.ofNanos(delayNanos);
    }

    /**
     * The bandwidth cap of each direction.
     *
     * @return bytes per second, or {@code 0} for none
     */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * The number of forwarded connections still open.
     *
     * @return connections with at least one socket still open
     */
    public int activeConnections() {
        return links.size();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once the proxy is closed or closing
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Waits until the proxy is closed (by {@link #close()}, from any thread) or the timeout passes.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if the proxy is closed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the proxy: closes the listening socket and every forwarded connection (bytes still queued are
     * dropped) and waits briefly for the proxy's threads to end. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close();
        List<Link> open = new ArrayList<>(links);
        for (Link link : open) {
            link.abort();
        }
        listener.join();
        for (Link link : open) {
            link.join();
        }
        closedLatch.countDown();
    }

    @Override
    public String toString() {
        return "LatencyProxy[" + HOST + ":" + port() + " -> " + HOST + ":" + targetPort() + ", delay "
                + (delayNanos / 1_000_000.0) + " ms each way"
                + (bytesPerSecond > 0 ? ", rate " + bytesPerSecond + " B/s" : "") + "]";
    }

    /** Starts forwarding between an accepted client and its connection to the target. */
    private void link(Socket client, Socket upstream) {
        Link link = new Link(connectionIds.incrementAndGet(), client, upstream);
        links.add(link);
        if (closed.get()) {
            link.abort();
            return;
        }
        link.start();
    }

    /** One accepted client and its connection to the target. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final Direction toTarget;
        private final Direction toClient;
        private final AtomicInteger openDirections = new AtomicInteger(2);
        private final AtomicBoolean done = new AtomicBoolean();

        Link(int id, Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
            this.toTarget = new Direction(this, "c2s-" + id, client, upstream, upstreamPacer);
            this.toClient = new Direction(this, "s2c-" + id, upstream, client, downstreamPacer);
        }

        void start() {
            toTarget.start();
            toClient.start();
        }

        /** Called by a direction's writer once it has forwarded the end of its stream. */
        void directionFinished() {
            if (openDirections.decrementAndGet() == 0) {
                finish();
            }
        }

        /** Closes both sockets at once, dropping queued bytes, and wakes every thread of this link. */
        void abort() {
            finish();
            toTarget.interrupt();
            toClient.interrupt();
        }

        private void finish() {
            if (done.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(upstream);
                links.remove(this);
            }
        }

        void join() {
            toTarget.join();
            toClient.join();
        }
    }

    /** One direction of a link: a reader that stamps and queues chunks, and a writer that sends them when due. */
    private final class Direction {
        private final Link link;
        private final Socket from;
        private final Socket to;
        private final Pacer pacer;
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Semaphore queuedBytes = new Semaphore(MAX_QUEUED_BYTES);
        private final Thread reader;
        private final Thread writer;

        Direction(Link link, String name, Socket from, Socket to, Pacer pacer) {
            this.link = link;
            this.from = from;
            this.to = to;
            this.pacer = pacer;
            this.reader = new Thread(this::readLoop, "latency-proxy-" + name + "-read");
            this.writer = new Thread(this::writeLoop, "latency-proxy-" + name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
        }

        void start() {
            writer.start();
            reader.start();
        }

        void interrupt() {
            reader.interrupt();
            writer.interrupt();
        }

        void join() {
            joinQuietly(reader);
            joinQuietly(writer);
        }

        private void readLoop() {
            byte[] buffer = new byte[CHUNK_SIZE];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    long due = System.nanoTime() + delayNanos;
                    if (n < 0) {
                        queue.put(new Chunk(null, due));
                        return;
                    }
                    if (n == 0) {
                        continue;
                    }
                    queuedBytes.acquire(n);
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), due));
                }
            } catch (IOException | InterruptedException e) {
                link.abort();
            }
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    sleepUntil(chunk.due);
                    if (chunk.data == null) {
                        if (!to.isClosed()) {
                            to.shutdownOutput();
                        }
                        link.directionFinished();
                        return;
                    }
                    send(out, chunk.data);
                    queuedBytes.release(chunk.data.length);
                }
            } catch (IOException | InterruptedException e) {
                link.abort();
            }
        }

        private void send(OutputStream out, byte[] data) throws IOException, InterruptedException {
            if (pacer == null) {
                out.write(data);
                return;
            }
            int slice = pacer.sliceBytes(CHUNK_SIZE);
            for (int off = 0; off < data.length; off += slice) {
                int len = Math.min(slice, data.length - off);
                sleepUntil(pacer.reserve(len));
                out.write(data, off, len);
            }
        }
    }

    /** A chunk of bytes (or, with {@code data == null}, the end of the stream) and when it is due. */
    private record Chunk(byte[] data, long due) {
    }

    private static final String USAGE = String.join("\n",
            "Usage: LatencyProxy --target PORT [--listen PORT] [--delay-ms MS] [--rate BYTES_PER_SEC] [--max-seconds S]",
            "",
            "Forwards TCP from 127.0.0.1:LISTEN to 127.0.0.1:TARGET, delaying every byte by MS milliseconds in each",
            "direction (--delay-ms 20 gives a 40 ms round trip).",
            "",
            "  --target PORT        port on 127.0.0.1 to forward to (required)",
            "  --listen PORT        port on 127.0.0.1 to listen on; 0 (the default) picks a free one",
            "  --delay-ms MS        one-way delay in milliseconds, each direction (default 0)",
            "  --rate BYTES_PER_SEC bandwidth cap per direction, shared by all connections (default 0: none)",
            "  --max-seconds S      stop after S seconds (default 0: run until killed)",
            "",
            "Prints one line 'listening on 127.0.0.1:PORT' once it accepts connections.");

    private static final ProxyCommand COMMAND = new ProxyCommand("LatencyProxy", USAGE,
            Set.of("--target", "--listen", "--delay-ms", "--rate", "--max-seconds"));

    /**
     * Runs the proxy as a program until it is killed or {@code --max-seconds} pass.
     *
     * <p>Arguments: {@code --target PORT} (required), {@code --listen PORT} (default 0: a free port),
     * {@code --delay-ms MS} (one-way, default 0), {@code --rate BYTES_PER_SEC} (default 0: no cap) and
     * {@code --max-seconds S} (default 0: no limit). Once listening it prints
     * {@code listening on 127.0.0.1:PORT -> 127.0.0.1:TARGET ...} on standard output. Exits 0 after
     * {@code --max-seconds} or on SIGTERM, 2 on a usage error, 1 if it cannot listen.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Does what {@link #main} does but returns the exit code instead of exiting.
     *
     * @param args the command-line arguments
     * @param out where the listening line goes
     * @param err where usage errors go
     * @return 0 after {@code --max-seconds} (or when the proxy is closed), 1 if it cannot listen, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return COMMAND.run(args, out, err, arguments -> {
            long delayMs = arguments.get("--delay-ms", 0);
            long rate = arguments.get("--rate", 0);
            long maxSeconds = arguments.get("--max-seconds", 0);
            LatencyProxy proxy = start(arguments.port("--listen", 0), arguments.port("--target", 0),
                    Duration.ofMillis(delayMs), rate);
            return new ProxyCommand.Started(proxy, "listening on " + HOST + ":" + proxy.port() + " -> " + HOST + ":"
                    + proxy.targetPort() + ", delay " + delayMs + " ms each way, rate "
                    + (rate > 0 ? rate + " B/s" : "unlimited")
                    + (maxSeconds > 0 ? ", stopping after " + maxSeconds + " s" : ""));
        });
    }
}
