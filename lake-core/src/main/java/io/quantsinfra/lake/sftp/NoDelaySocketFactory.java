package io.quantsinfra.lake.sftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.SocketFactory;

/**
 * Creates sockets with Nagle's algorithm off, as it costs a round trip per small request, and
 * hands each to {@code created} (the connection's deadline, which closes it when it passes).
 */
final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate = SocketFactory.getDefault();
    private final Consumer<Socket> created;

    NoDelaySocketFactory(Consumer<Socket> created) {
        this.created = created;
    }

    private Socket tuned(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        created.accept(s);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return tuned(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return tuned(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return tuned(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return tuned(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return tuned(delegate.createSocket(address, port, localAddress, localPort));
    }
}
