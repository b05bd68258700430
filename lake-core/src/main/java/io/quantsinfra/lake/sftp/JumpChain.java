package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.sshconfig.Origin;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

/**
 * The route of an SSH connection: straight over TCP, or through the ProxyJump hosts, each
 * reached through the one before. Through jump hosts, the connection's transport runs in a
 * {@code direct-tcpip} channel of the last one, which asks its sshd to open the TCP connection
 * onward, as {@code ssh -J} does. Closing the chain closes the jump hosts' connections.
 */
final class JumpChain implements Closeable {
    private final ConnectDeadline deadline;
    private final Optional<Origin> proxyJump;
    private final List<SSHClient> hops = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /**
     * An empty chain: connections go straight over TCP until a jump host is {@link #add}ed.
     *
     * @param deadline  the deadline of the connection being made, told when the route opens
     * @param proxyJump the ssh_config line the jump hosts come from, for messages
     */
    JumpChain(ConnectDeadline deadline, Optional<Origin> proxyJump) {
        this.deadline = deadline;
        this.proxyJump = proxyJump;
    }

    /** Adds a connected, authenticated jump host: connections now go through it. */
    void add(SSHClient hop, String where) {
        hops.add(hop);
        names.add(where);
    }

    /**
     * Connects {@code ssh} to {@code host:port}: over TCP, or through the last jump host.
     *
     * @throws LakeException of kind {@code CONNECTION} when the jump host will not or cannot open
     *                       the connection onward
     */
    void connect(SSHClient ssh, String host, int port) throws IOException {
        if (hops.isEmpty()) {
            ssh.connect(host, port);
            return;
        }
        deadline.enter(ConnectDeadline.Stage.TCP_CONNECT); // the jump host's TCP connect, onward
        ssh.connectVia(tunnel(host, port));
    }

    private DirectConnection tunnel(String host, int port) {
        String jump = names.get(names.size() - 1);
        String target = host + ":" + port;
        try {
            return hops.get(hops.size() - 1).newDirectConnection(host, port);
        } catch (OpenFailException e) {
            if (e.getReason() == OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED) {
                throw failure(target, "the jump host " + jump + " refuses to forward connections (to " + target + "): "
                        + e.getMessage(), "allow TCP forwarding for " + user(jump) + " on the jump host"
                        + " (AllowTcpForwarding yes in its sshd_config), or remove the ProxyJump" + at(), e);
            }
            throw failure(target, "the jump host " + jump + " cannot connect to " + target + ": " + e.getMessage(),
                    "check HostName and Port as the jump host sees them (the jump host resolves the name), and"
                            + " that sshd runs there", e);
        } catch (IOException e) {
            throw failure(target, "cannot open a connection to " + target + " through the jump host " + jump + ": " + e,
                    "check that the jump host's sshd still runs and allows TCP forwarding", e);
        }
    }

    /**
     * A jump host's failure, its message saying that it is one: what failed on it (unreachable,
     * unknown host key, login refused) keeps its own hint.
     */
    LakeException jumpHostFailure(LakeException e) {
        return new LakeException(e.kind(), e.subject(), "jump host" + at() + ": " + e.getMessage(),
                e.hint().orElse(""), e);
    }

    /** Disconnects the jump hosts, the last first. */
    @Override
    public void close() {
        for (int i = hops.size() - 1; i >= 0; i--) {
            try {
                hops.get(i).disconnect();
            } catch (IOException | RuntimeException e) {
                // closing is all that is asked
            }
        }
    }

    private String at() {
        return proxyJump.map(o -> " (ProxyJump at " + o.where() + ")").orElse("");
    }

    private static String user(String where) {
        return where.substring(0, where.lastIndexOf('@'));
    }

    private static LakeException failure(String subject, String message, String hint, Throwable cause) {
        return new LakeException(LakeException.Kind.CONNECTION, subject, message, hint, cause);
    }
}
