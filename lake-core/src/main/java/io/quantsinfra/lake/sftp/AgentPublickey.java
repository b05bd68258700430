package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.sftp.agent.AgentClient;
import io.quantsinfra.lake.sftp.agent.AgentIdentity;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public key authentication with a key the ssh-agent holds: sshj's own methods sign with a
 * private key in memory, which the agent never hands out. As OpenSSH does, it first asks whether
 * the server would accept the key, and has the agent sign only then: an agent may ask the user to
 * confirm each signature ({@code ssh-add -c}) or a hardware key may need a touch, which a key the
 * server refuses should not cost.
 *
 * <p>RSA keys sign with rsa-sha2-512, then rsa-sha2-256 if the server refuses that (OpenSSH 8.8
 * and later refuse SHA-1 {@code ssh-rsa}, which is not offered, as OpenSSH's client no longer
 * offers it by default either).
 */
final class AgentPublickey extends AbstractAuthMethod {
    /**
     * A public key algorithm with the agent's flag that selects it.
     *
     * @param name  the algorithm named in the request
     * @param flags the agent's signature flags for it
     */
    record Algorithm(String name, int flags) {
    }

    private final AgentClient agent;
    private final AgentIdentity identity;
    private final Deque<Algorithm> algorithms;
    private volatile IOException signFailure;

    AgentPublickey(AgentClient agent, AgentIdentity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        this.algorithms = new ArrayDeque<>(algorithms(identity.keyType()));
    }

    /** The algorithms to sign with for a key of {@code keyType}, in order. */
    static List<Algorithm> algorithms(String keyType) {
        return switch (keyType) {
            case "ssh-rsa" -> List.of(new Algorithm("rsa-sha2-512", AgentClient.RSA_SHA2_512),
                    new Algorithm("rsa-sha2-256", AgentClient.RSA_SHA2_256));
            case "ssh-rsa-cert-v01@openssh.com" -> List.of(
                    new Algorithm("rsa-sha2-512-cert-v01@openssh.com", AgentClient.RSA_SHA2_512),
                    new Algorithm("rsa-sha2-256-cert-v01@openssh.com", AgentClient.RSA_SHA2_256));
            default -> List.of(new Algorithm(keyType, 0));
        };
    }

    /** Why the agent did not sign, once the server had accepted the key; empty if it signed, or was never asked. */
    Optional<IOException> signFailure() {
        return Optional.ofNullable(signFailure);
    }

    /** The query: would the server accept this key? */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    /** The server accepts the key (SSH_MSG_USERAUTH_PK_OK): sends the request the agent signed. */
    @Override
    public void handle(Message msg, SSHPacket buf) throws UserAuthException, TransportException {
        if (msg != Message.USERAUTH_60) {
            super.handle(msg, buf);
            return;
        }
        SSHPacket signed = request(true);
        byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(signed)
                .getCompactData();
        try {
            signed.putString(agent.sign(identity, data, algorithms.getFirst().flags()));
        } catch (IOException e) {
            signFailure = e;
            throw new UserAuthException("ssh-agent did not sign with " + identity.describe() + ": " + e.getMessage(), e);
        }
        params.getTransport().write(signed);
    }

    /** After a refusal: the next algorithm for this key, if there is one. */
    @Override
    public boolean shouldRetry() {
        algorithms.poll();
        return !algorithms.isEmpty() && signFailure == null;
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        return super.buildReq().putBoolean(signed).putString(algorithms.getFirst().name()).putString(identity.blob());
    }
}
