package io.quantsinfra.lake.sftp;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;

/**
 * One sshj connection with its SFTP sessions ({@link SftpSession}), shared by the views
 * ({@link SshjRemoteFs}) of every profile that uses it at once ({@link SharedConnections}). The
 * sessions are the connection's, not a view's: OpenSSH allows 10 channels per connection
 * (MaxSessions), and each session serves any number of threads, its replies matched by request
 * id. So are the pieces that work on them: {@link RemoteLister}, {@link WholeFileReader}, the
 * READ limit ({@link SharedReadState}) and the error mapping ({@link SftpErrorMapper}); the
 * READ budget is the connector's ({@link ReadMemory}), the handle permits each session's or
 * the connection's ({@link HandlePermits}).
 */
final class SftpConnection {
    private final SSHClient ssh;
    private final List<SftpSession> channels;
    private final AtomicInteger next = new AtomicInteger();
    private final Duration roundTrip;
    private final SharedReadState state;
    private final SftpErrorMapper errors;
    private final RemoteLister lister;
    private final WholeFileReader wholeReader;
    private final Runnable leavePool;
    private final AtomicBoolean lost = new AtomicBoolean();

    /**
     * @param ssh       a connected, authenticated client
     * @param channels  its SFTP sessions, used in turn
     * @param where     {@code user@host:port}, for messages
     * @param memory    the READ budget, shared with the connector's other connections
     * @param roundTrip the round trip measured while opening the sessions
     * @param leavePool run once the link is found lost, so that nobody is handed this connection again
     */
    SftpConnection(SSHClient ssh, List<SftpSession> channels, String where, ReadMemory memory, Duration roundTrip,
                   Runnable leavePool) {
        this.ssh = ssh;
        this.channels = List.copyOf(channels);
        this.roundTrip = roundTrip;
        this.leavePool = leavePool;
        this.state = new SharedReadState(memory);
        this.errors = new SftpErrorMapper(ssh, where, this::linkLost);
        this.lister = new RemoteLister(errors);
        this.wholeReader = new WholeFileReader(state, errors);
    }

    /** The round trip measured when the sessions were opened. */
    Duration roundTrip() {
        return roundTrip;
    }

    /** The next session in turn. */
    SftpSession channel() {
        return channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    }

    SharedReadState state() {
        return state;
    }

    SftpErrorMapper errors() {
        return errors;
    }

    RemoteLister lister() {
        return lister;
    }

    WholeFileReader wholeReader() {
        return wholeReader;
    }

    /** Whether the connection is up as far as it knows: not found lost, and its transport running. */
    boolean isOpen() {
        return !lost.get() && ssh.isConnected();
    }

    /**
     * The link broke or hung (a reply timed out): the connection leaves the pool and is ended, so
     * that its other users fail at once and reconnect instead of each waiting out its own timeout.
     * {@code ssh.isConnected()} would still say yes on a hung link.
     */
    private void linkLost() {
        if (lost.compareAndSet(false, true)) {
            leavePool.run();
            disconnect();
        }
    }

    /**
     * Ends the connection without closing the SFTP sessions one by one: each CLOSE waits a round
     * trip for its reply, and the server drops the sessions and their handles with the
     * connection anyway. The file handles' CLOSE requests were sent before, in order.
     */
    void disconnect() {
        try {
            ssh.disconnect();
        } catch (IOException | RuntimeException e) {
            // already disconnected
        }
    }
}
