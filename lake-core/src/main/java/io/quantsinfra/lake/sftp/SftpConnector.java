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
 */
public final class SftpConnector implements RemoteConnector {
    /** READ reply bytes in flight across all files of all connections: bounds memory whatever the parallelism. */
    private static final long READ_BUDGET = 32L * 1024 * 1024;

    private final ReadMemory memory = new ReadMemory(READ_BUDGET);

    /** The connector; one serves every profile and thread, which share its READ memory. */
    public SftpConnector() {
    }

    @Override
    public RemoteFs connect(Profile profile, Map<String, String> env) {
        return connect(profile, env, warning -> { });
    }

    @Override
    public RemoteFs connect(Profile profile, Map<String, String> env, Consumer<String> warnings) {
        return new SshConnector(profile, env, warnings).connect(memory);
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
