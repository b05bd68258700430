package io.quantsinfra.lake.testkit;

import static io.quantsinfra.lake.testkit.ProxySupport.closeQuietly;
import static io.quantsinfra.lake.testkit.ProxySupport.joinQuietly;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening side of a test proxy: a socket on 127.0.0.1 and a thread that accepts each client, connects it to
 * 127.0.0.1:targetPort and hands both sockets to the proxy. {@link FaultProxy} and {@link LatencyProxy} differ
 * only in what they do with the pair.
 */
final class LoopbackListener {

    /** The address the proxies listen on and connect to. */
    static final String HOST = "127.0.0.1";

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What a proxy does with an accepted client and its fresh connection to the target. */
    @FunctionalInterface
    interface Pairing {
        /** Called on the accepting thread; the proxy owns both sockets from here on. */
        void pair(Socket client, Socket upstream);
    }

    private final String name;
    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger accepted = new AtomicInteger();
    private Thread acceptor;

    private LoopbackListener(String name, ServerSocket server, int targetPort) {
        this.name = name;
        this.server = server;
        this.targetPort = targetPort;
    }

    /**
     * Binds {@code 127.0.0.1:listenPort} for a proxy to {@code 127.0.0.1:targetPort}; nothing is accepted before
     * {@link #start}.
     *
     * @param name the proxy's name in thread names and messages, e.g. {@code fault-proxy}
     * @throws IllegalArgumentException if a port is out of range
     */
    static LoopbackListener bind(String name, int listenPort, int targetPort) throws IOException {
        if (listenPort < 0 || listenPort > 65_535) {
            throw new IllegalArgumentException("listen port must be 0-65535, got " + listenPort);
        }
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("target port must be 1-65535, got " + targetPort);
        }
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(HOST), listenPort), 128);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new LoopbackListener(name, server, targetPort);
    }

    /**
     * Starts accepting. A client whose target cannot be reached is closed and reported on standard error; if
     * accepting itself fails while the socket is open, {@code onFailure} runs and the thread ends.
     */
    void start(Pairing pairing, Runnable onFailure) {
        acceptor = new Thread(() -> acceptLoop(pairing, onFailure), name + "-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port listened on. */
    int port() {
        return server.getLocalPort();
    }

    /** The port on 127.0.0.1 that every client is connected to. */
    int targetPort() {
        return targetPort;
    }

    /** How many clients were accepted, including those whose target could not be reached. */
    int accepted() {
        return accepted.get();
    }

    /** Stops accepting; open connections are the proxy's to close. */
    void close() {
        closeQuietly(server);
    }

    /** Waits a bounded time for the accepting thread to end. */
    void join() {
        if (acceptor != null) {
            joinQuietly(acceptor);
        }
    }

    private void acceptLoop(Pairing pairing, Runnable onFailure) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println(name + ": accept failed: " + e);
                    onFailure.run();
                }
                return;
            }
            accepted.incrementAndGet();
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(InetAddress.getByName(HOST), targetPort),
                        CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                System.err.println(name + ": cannot connect to " + HOST + ":" + targetPort + ": " + e);
                closeQuietly(upstream);
                closeQuietly(client);
                continue;
            }
            pairing.pair(client, upstream);
        }
    }
}
