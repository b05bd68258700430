package io.quantsinfra.lake.sftp.agent;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.common.Buffer;

/**
 * A connection to an ssh-agent over its Unix-domain socket ({@code SSH_AUTH_SOCK}), speaking the
 * agent protocol of OpenSSH (draft-miller-ssh-agent): it lists the agent's identities and asks it
 * to sign. The JDK (16+) opens Unix-domain sockets itself, so no native library is needed.
 *
 * <p>Every request must be answered within the timeout given on {@link #connect}: an agent that
 * waits for a confirmation nobody gives ({@code ssh-add -c}) must not hold a connection forever.
 * A client serves one thread at a time.
 */
public final class AgentClient implements Closeable {
    /** Sign with rsa-sha2-256 instead of ssh-rsa (SHA-1). */
    public static final int RSA_SHA2_256 = 2;
    /** Sign with rsa-sha2-512 instead of ssh-rsa (SHA-1). */
    public static final int RSA_SHA2_512 = 4;

    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    /** The longest message OpenSSH's agent sends or accepts. */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Duration timeout;

    private AgentClient(Path socket, SocketChannel channel, Selector selector, SelectionKey key, Duration timeout) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.timeout = timeout;
    }

    /**
     * Connects to the agent listening on {@code socket}.
     *
     * @param timeout how long each request may wait for the agent's answer
     * @throws IOException when nothing listens there (a stale {@code SSH_AUTH_SOCK}) or it is no socket
     */
    public static AgentClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            try {
                SelectionKey key = channel.register(selector, 0);
                return new AgentClient(socket, channel, selector, key, timeout);
            } catch (IOException | RuntimeException e) {
                selector.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /**
     * The identities the agent holds, in its order ({@code ssh-add -l}).
     *
     * @throws IOException when the agent fails, refuses or does not answer in time
     */
    public synchronized List<AgentIdentity> identities() throws IOException {
        Buffer.PlainBuffer answer = call(new Buffer.PlainBuffer().putByte(REQUEST_IDENTITIES));
        byte type = answer.readByte();
        if (type != IDENTITIES_ANSWER) {
            throw new IOException("ssh-agent at " + socket + " refused to list its keys (reply " + type + ")");
        }
        int count = answer.readUInt32AsInt();
        List<AgentIdentity> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = answer.readBytes();
            out.add(new AgentIdentity(blob, answer.readString(StandardCharsets.UTF_8)));
        }
        return List.copyOf(out);
    }

    /**
     * Asks the agent to sign {@code data} with {@code identity}'s private key.
     *
     * @param flags 0, or {@link #RSA_SHA2_256} / {@link #RSA_SHA2_512} for an RSA key
     * @return the signature in SSH wire form: {@code string algorithm, string signature}
     * @throws IOException when the agent refuses (the key is gone, a confirmation was declined),
     *                     fails or does not answer in time
     */
    public synchronized byte[] sign(AgentIdentity identity, byte[] data, int flags) throws IOException {
        Buffer.PlainBuffer answer = call(new Buffer.PlainBuffer().putByte(SIGN_REQUEST).putString(identity.blob())
                .putString(data).putUInt32FromInt(flags));
        byte type = answer.readByte();
        if (type == FAILURE) {
            throw new IOException("ssh-agent at " + socket + " refused to sign with " + identity.describe());
        }
        if (type != SIGN_RESPONSE) {
            throw new IOException("ssh-agent at " + socket + " answered a signature request with message " + type);
        }
        return answer.readBytes();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    /** Sends one message and returns the agent's answer, each framed by its length. */
    private Buffer.PlainBuffer call(Buffer.PlainBuffer message) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] body = message.getCompactData();
        ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        read(length, deadline);
        int n = length.flip().getInt();
        if (n <= 0 || n > MAX_MESSAGE) {
            throw new IOException("ssh-agent at " + socket + " sent a message of " + n + " bytes; is it an agent?");
        }
        ByteBuffer in = ByteBuffer.allocate(n);
        read(in, deadline);
        return new Buffer.PlainBuffer(in.array());
    }

    private void read(ByteBuffer into, long deadline) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into);
            if (n < 0) {
                throw new EOFException("ssh-agent at " + socket + " closed the connection");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            }
        }
    }

    private void await(int operation, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("ssh-agent at " + socket + " did not answer within " + timeout.toSeconds() + " s");
        }
        key.interestOps(operation);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        selector.selectedKeys().clear();
    }
}
