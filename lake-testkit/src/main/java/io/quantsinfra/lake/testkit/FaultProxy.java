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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on the loopback interface that injects network faults between a client and a server, for tests of
 * what a client does when its link misbehaves.
 *
 * <p>The proxy listens on {@code 127.0.0.1:port()} and opens one connection to {@code 127.0.0.1:targetPort} per
 * accepted client. Each direction of each connection is pumped by its own thread. Faults can be changed at any
 * time from any thread:
 *
 * <ul>
 *   <li>{@link #latency(Duration)}: every chunk waits this long before it is forwarded (a simple store-and-forward
 *       delay: it also limits throughput to about {@value #CHUNK_SIZE} bytes per delay; use {@link LatencyProxy}
 *       for a true time shift);</li>
 *   <li>{@link #bandwidth(long)}: each direction (shared by all connections) forwards at most this many bytes per
 *       second;</li>
 *   <li>{@link #cutAfter(Direction, long)}: after exactly N more bytes have been forwarded in one direction
 *       (counted over all connections), the connection carrying the N-th byte is closed on both sides (a FIN, as
 *       when a peer process dies); one-shot;</li>
 *   <li>{@link #blackhole()}: open connections stop forwarding in both directions without closing; bytes are read
 *       and dropped, as by a router that silently discards packets; a blackholed connection never recovers.
 *       Connections accepted while blackholed are blackholed too. {@link #heal()} makes new connections work
 *       again;</li>
 *   <li>{@link #reset()}: every open connection is aborted with a TCP RST on both sides ({@code SO_LINGER 0}).</li>
 * </ul>
 *
 * <p>Embed it in a test:
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(0, server.port())) {
 *     proxy.cutAfter(FaultProxy.Direction.DOWNSTREAM, 1_000_000);
 *     connect("127.0.0.1", proxy.port());   // the link dies after 1 MB from the server
 * }
 * }</pre>
 *
 * <p>or run it with {@link #main} (see {@code --help}).
 */
public final class FaultProxy implements AutoCloseable, ProxyCommand.Running {

    /** A direction of traffic. */
    public enum Direction {
        /** From the client to the server. */
        UPSTREAM,
        /** From the server to the client. */
        DOWNSTREAM
    }

    /** The address the proxy listens on and connects to. */
    public static final String HOST = LoopbackListener.HOST;

    /** The largest chunk read from a socket at once. */
    public static final int CHUNK_SIZE = 16 * 1024;

    private final LoopbackListener listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    /** Bytes left before the cut, per direction; negative when no cut is armed. */
    private final AtomicLong[] cutRemaining = {new AtomicLong(-1), new AtomicLong(-1)};
    private final Pacer[] pacers = {new Pacer(0), new Pacer(0)};
    private volatile long delayNanos;
    private volatile boolean blackholed;

    private FaultProxy(LoopbackListener listener) {
        this.listener = listener;
    }

    /**
     * Starts a healthy proxy (no fault) from {@code 127.0.0.1:listenPort} to {@code 127.0.0.1:targetPort}.
     *
     * @param listenPort the port to listen on, or {@code 0} for an ephemeral port (see {@link #port()})
     * @param targetPort the port on 127.0.0.1 each accepted connection is forwarded to
     * @return the running proxy; close it to stop it
     * @throws IOException if the listening socket cannot be bound
     * @throws IllegalArgumentException if a port is out of range
     */
    public static FaultProxy start(int listenPort, int targetPort) throws IOException {
        FaultProxy proxy = new FaultProxy(LoopbackListener.bind("fault-proxy", listenPort, targetPort));
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
     * Delays every forwarded chunk by {@code oneWay} in each direction; zero removes the delay.
     *
     * @param oneWay the delay per chunk and direction
     * @return this proxy
     */
    public FaultProxy latency(Duration oneWay) {
        if (oneWay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + oneWay);
        }
        delayNanos = oneWay.toNanos();
        return this;
    }

    /**
     * Caps each direction (shared by all connections) at {@code bytesPerSecond}; {@code 0} removes the cap.
     *
     * @param bytesPerSecond the rate per direction, or 0 for none
     * @return this proxy
     */
    public FaultProxy bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative, got " + bytesPerSecond);
        }
        for (Pacer p : pacers) {
            p.setRate(bytesPerSecond);
        }
        return this;
    }

    /**
     * Arms a one-shot cut: once {@code bytes} more bytes have been forwarded in {@code direction} (over all
     * connections), the connection that carried the last of them is closed on both sides; bytes after it are not
     * forwarded. {@code bytes == 0} cuts the next connection to carry anything in that direction. Replaces a cut
     * already armed in that direction.
     *
     * @param direction the direction whose bytes are counted
     * @param bytes     the bytes still forwarded before the cut
     * @return this proxy
     */
    public FaultProxy cutAfter(Direction direction, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        cutRemaining[direction.ordinal()].set(bytes);
        return this;
    }

    /**
     * Disarms the cut in {@code direction}, if one is armed and has not fired.
     *
     * @param direction the direction
     * @return this proxy
     */
    public FaultProxy disarmCut(Direction direction) {
        cutRemaining[direction.ordinal()].set(-1);
        return this;
    }

    /**
     * Stops forwarding on every open connection and on every connection accepted until {@link #heal()}, without
     * closing anything: the peers see silence.
     *
     * @return this proxy
     */
    public FaultProxy blackhole() {
        blackholed = true;
        for (Link link : links) {
            link.blackholed = true;
        }
        return this;
    }

    /**
     * Ends the blackhole for new connections and disarms any cut; blackholed connections stay dead (close them
     * with {@link #reset()} if the peers should notice at once). Latency and bandwidth are kept.
     *
     * @return this proxy
     */
    public FaultProxy heal() {
        blackholed = false;
        disarmCut(Direction.UPSTREAM);
        disarmCut(Direction.DOWNSTREAM);
        return this;
    }

    /** Aborts every open connection with a TCP reset (RST) towards both peers. */
    public void reset() {
        for (Link link : new ArrayList<>(links)) {
            link.abort(true);
        }
    }

    /**
     * The bytes forwarded so far in a direction, over all connections.
     *
     * @param direction the direction
     * @return bytes written to the receiving peer
     */
    public long bytesForwarded(Direction direction) {
        return forwarded[direction.ordinal()].get();
    }

    /**
     * How many cuts have fired.
     *
     * @return the number of connections closed by {@link #cutAfter}
     */
    public int cuts() {
        return cuts.get();
    }

    /**
     * How many connections the proxy has accepted.
     *
     * @return accepted connections since start
     */
    public int acceptedConnections() {
        return listener.accepted();
    }

    /**
     * The connections still open.
     *
     * @return connections with their sockets still open
     */
    public int activeConnections() {
        return links.size();
    }

    /**
     * Waits until the proxy is closed or the timeout passes.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if the proxy is closed
     * @throws InterruptedException if interrupted
     */
    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops the proxy and closes every connection. Calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close();
        List<Link> open = new ArrayList<>(links);
        for (Link link : open) {
            link.abort(false);
        }
        listener.join();
        for (Link link : open) {
            link.join();
        }
        closedLatch.countDown();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + HOST + ":" + port() + " -> " + HOST + ":" + listener.targetPort() + "]";
    }

    /** Starts forwarding between an accepted client and its connection to the target. */
    private void link(Socket client, Socket upstream) {
        Link link = new Link(listener.accepted(), client, upstream);
        link.blackholed = blackholed;
        links.add(link);
        if (closed.get()) {
            link.abort(false);
            return;
        }
        link.start();
    }

    /** One accepted client and its connection to the target. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final Thread up;
        private final Thread down;
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicInteger openDirections = new AtomicInteger(2);
        volatile boolean blackholed;

        Link(int id, Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
            this.up = new Thread(() -> pump(Direction.UPSTREAM, client, upstream), "fault-proxy-c2s-" + id);
            this.down = new Thread(() -> pump(Direction.DOWNSTREAM, upstream, client), "fault-proxy-s2c-" + id);
            up.setDaemon(true);
            down.setDaemon(true);
        }

        void start() {
            up.start();
            down.start();
        }

        private void pump(Direction direction, Socket from, Socket to) {
            int d = direction.ordinal();
            byte[] buffer = new byte[CHUNK_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buffer, 0, pacers[d].sliceBytes(buffer.length));
                    if (n < 0) {
                        if (!blackholed) {
                            to.shutdownOutput();
                        }
                        if (openDirections.decrementAndGet() == 0) {
                            abort(false);
                        }
                        return;
                    }
                    if (blackholed) {
                        continue; // dropped
                    }
                    long delay = delayNanos;
                    if (delay > 0) {
                        sleepUntil(System.nanoTime() + delay);
                    }
                    int len = n;
                    boolean cut = false;
                    AtomicLong remaining = cutRemaining[d];
                    while (true) {
                        long r = remaining.get();
                        if (r < 0) {
                            break;
                        }
                        if (r <= n) {
                            if (remaining.compareAndSet(r, -1)) {
                                len = (int) r;
                                cut = true;
                                break;
                            }
                        } else if (remaining.compareAndSet(r, r - n)) {
                            break;
                        }
                    }
                    sleepUntil(pacers[d].reserve(len));
                    if (blackholed) {
                        continue;
                    }
                    out.write(buffer, 0, len);
                    forwarded[d].addAndGet(len);
                    if (cut) {
                        cuts.incrementAndGet();
                        abort(false);
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                abort(false);
            }
        }

        /** Closes both sockets, with a reset if {@code rst}, and wakes both threads. */
        void abort(boolean rst) {
            if (done.compareAndSet(false, true)) {
                if (rst) {
                    lingerZero(client);
                    lingerZero(upstream);
                }
                closeQuietly(client);
                closeQuietly(upstream);
                links.remove(this);
                up.interrupt();
                down.interrupt();
            }
        }

        void join() {
            joinQuietly(up);
            joinQuietly(down);
        }
    }

    private static void lingerZero(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static final String USAGE = String.join("\n",
            "Usage: FaultProxy --target PORT [--listen PORT] [--delay-ms MS] [--rate BYTES_PER_SEC]",
            "                  [--cut-up BYTES] [--cut-down BYTES] [--blackhole-after-ms MS] [--reset-after-ms MS]",
            "                  [--max-seconds S]",
            "",
            "Forwards TCP from 127.0.0.1:LISTEN to 127.0.0.1:TARGET and injects faults.",
            "",
            "  --target PORT          port on 127.0.0.1 to forward to (required)",
            "  --listen PORT          port on 127.0.0.1 to listen on; 0 (the default) picks a free one",
            "  --delay-ms MS          delay per chunk, each direction (default 0)",
            "  --rate BYTES_PER_SEC   bandwidth cap per direction (default 0: none)",
            "  --cut-up BYTES         close the connection after BYTES client->server bytes (once)",
            "  --cut-down BYTES       close the connection after BYTES server->client bytes (once)",
            "  --blackhole-after-ms MS  stop forwarding (without closing) MS after start",
            "  --reset-after-ms MS    reset (RST) every open connection MS after start",
            "  --max-seconds S        stop after S seconds (default 0: run until killed)",
            "",
            "Prints one line 'listening on 127.0.0.1:PORT ...' once it accepts connections.");

    private static final ProxyCommand COMMAND = new ProxyCommand("FaultProxy", USAGE, Set.of("--target", "--listen",
            "--delay-ms", "--rate", "--cut-up", "--cut-down", "--blackhole-after-ms", "--reset-after-ms",
            "--max-seconds"));

    /**
     * Runs the proxy as a program; see {@link #run}.
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
     * Does what {@link #main} does but returns the exit code: 0 after {@code --max-seconds} or when closed, 1 if it
     * cannot listen, 2 on a usage error.
     *
     * @param args the command-line arguments (see {@code --help})
     * @param out  where the listening line goes
     * @param err  where usage errors go
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return COMMAND.run(args, out, err, arguments -> {
            FaultProxy proxy = start(arguments.port("--listen", 0), arguments.port("--target", 0));
            proxy.latency(Duration.ofMillis(arguments.get("--delay-ms", 0))).bandwidth(arguments.get("--rate", 0));
            if (arguments.values().containsKey("--cut-up")) {
                proxy.cutAfter(Direction.UPSTREAM, arguments.get("--cut-up", 0));
            }
            if (arguments.values().containsKey("--cut-down")) {
                proxy.cutAfter(Direction.DOWNSTREAM, arguments.get("--cut-down", 0));
            }
            schedule(arguments.get("--blackhole-after-ms", -1), proxy::blackhole);
            schedule(arguments.get("--reset-after-ms", -1), proxy::reset);
            return new ProxyCommand.Started(proxy,
                    "listening on " + HOST + ":" + proxy.port() + " -> " + HOST + ":" + arguments.get("--target", 0));
        });
    }

    private static void schedule(long afterMs, Runnable action) {
        if (afterMs < 0) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(afterMs);
                action.run();
            } catch (InterruptedException ignored) {
                // stopping
            }
        }, "fault-proxy-timer");
        t.setDaemon(true);
        t.start();
    }
}
