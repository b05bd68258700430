package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.sshconfig.ConnectionSettings;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * lake-core's {@link RemoteConnector}: SFTP over SSH with sshj, its host key checked against the
 * profile's known_hosts, key authentication with key files or the ssh-agent, and SFTP requests
 * pipelined in batches. Every sshj
 * and BouncyCastle import of lake-core lives in this package.
 *
 * <p>One connector serves a process's profiles, on any number of threads at once. It holds what
 * they share: the memory that READ replies may take, one budget for all connections
 * ({@link ReadMemory}); and the connections themselves. Profiles that reach a server the same
 * way ({@link ConnectionKey}: host, port, user, keys, ssh_config, known_hosts, options that change
 * the connection) share one SSH connection and its SFTP channels while they run at once
 * ({@link SharedConnections}): it is made once, by the first to ask, and ended by the last to
 * close it, or as soon as its link is found lost, so that the others reconnect.
 */
public final class SftpConnector implements RemoteConnector {
    /** READ reply bytes in flight across all files of all connections: bounds memory whatever the parallelism. */
    private static final long READ_BUDGET = 32L * 1024 * 1024;

    private final ReadMemory memory = new ReadMemory(READ_BUDGET);
    private final SharedConnections<ConnectionKey, SftpConnection> connections =
            new SharedConnections<>(SftpConnection::disconnect, SftpConnection::isOpen);

    /** A connector with no connection yet. */
    public SftpConnector() {
    }

    @Override
    public RemoteFs connect(Profile profile, Map<String, String> env) {
        return connect(profile, env, warning -> { });
    }

    /**
     * {@inheritDoc} The connection may be one that other profiles use at once; {@code warnings}
     * then hears what was heard when it was made.
     *
     * @throws LakeException of kind {@code CONFIG} for a bad line in the host's ssh_config
     */
    @Override
    public RemoteFs connect(Profile profile, Map<String, String> env, Consumer<String> warnings) {
        ConnectionSettings settings = ConnectionSettings.of(profile, env);
        SharedConnections.Lease<SftpConnection> lease = connections.open(ConnectionKey.of(profile, settings, env),
                (heard, lost) -> new SshConnector(profile, env, settings, heard).connect(memory, lost), warnings);
        return new SshjRemoteFs(lease, profile.readAhead());
    }

    /**
     * The identities a login to {@code profile}'s source tries, in order, as {@code validate}
     * shows them: key files (marked when missing) and the ssh-agent, after the host's ssh_config.
     * Reads no key and asks no agent; empty when the ssh_config cannot be read.
     *
     * @param env the environment: {@code HOME} and {@code SSH_AUTH_SOCK}
     */
    public static List<String> identities(Profile profile, Map<String, String> env) {
        try {
            return IdentitySources.forEndpoint(ConnectionSettings.of(profile, env).target(), env).describe();
        } catch (LakeException e) {
            return List.of(); // a bad ssh_config line: validate reports it on its own
        }
    }

    /**
     * Loads and initializes, on the calling thread, what the process's first connection needs
     * (sshj's transport, the JCE and the JDK's AES-GCM, X25519 and Ed25519, the logger binding).
     * Never fails: what cannot be prepared fails, with its own message, when connecting.
     */
    public static void warmUp() {
        SshConnector.warmUp();
    }
}
