package io.quantsinfra.lake.sshconfig;

import io.quantsinfra.lake.config.SshSource;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One SSH server to connect to, every value settled: the profile's source, or a jump host.
 *
 * @param host           the host as the profile or ProxyJump names it, maybe an ssh_config alias
 * @param hostName       the host to connect to and to look up in known_hosts
 * @param port           the port
 * @param user           the login name
 * @param sshKey         the key to log in with: the profile's {@code ssh_key}, else the first
 *                       IdentityFile, else the default
 * @param identityFiles  every IdentityFile ssh_config gives for the host, in order, tokens expanded
 * @param identitiesOnly ssh_config's IdentitiesOnly: offer only the configured keys
 * @param knownHosts     the known_hosts file its host key is checked against
 * @param setKeys        the keys set by the profile or ssh_config, rather than left to a default
 */
public record SshEndpoint(String host, String hostName, int port, String user, Path sshKey, List<Path> identityFiles,
                          boolean identitiesOnly, Path knownHosts, Set<SshSource.Key> setKeys) {

    /** Copies the collections so the record stays immutable. */
    public SshEndpoint {
        identityFiles = List.copyOf(identityFiles);
        setKeys = setKeys.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(setKeys));
    }

    /** {@code user@hostName:port}, as messages name it. */
    public String where() {
        return user + "@" + hostName + ":" + port;
    }

    /**
     * The profile's source with this endpoint's host, port, user, key and known_hosts: what the
     * connection code checks host keys and logs in with. The rest (passphrase variable, host key
     * policy, remote root) stays the profile's.
     */
    public SshSource asSource(SshSource profileSource) {
        return new SshSource(hostName, port, user, sshKey, profileSource.passphraseEnv(), knownHosts,
                profileSource.hostKeyPolicy(), profileSource.remoteRoot(), profileSource.sshConfig(), setKeys);
    }
}
