package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import java.util.Map;

/**
 * lake-core's {@link RemoteConnector}: SFTP over SSH with sshj, its host key checked against the
 * profile's known_hosts, key authentication, and SFTP requests pipelined in batches. Every sshj
 * and BouncyCastle import of lake-core lives in this package.
 */
public final class SftpConnector implements RemoteConnector {
    /** The connector; it holds no state, so one serves every profile and thread. */
    public SftpConnector() {
    }

    @Override
    public RemoteFs connect(Profile profile, Map<String, String> env) {
        return new SshConnector(profile, env).connect();
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
