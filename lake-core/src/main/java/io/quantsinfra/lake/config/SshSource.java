package io.quantsinfra.lake.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a profile's data comes from: an SFTP server reached over SSH.
 *
 * @param host          host name or IP address
 * @param port          SSH port
 * @param user          login name
 * @param sshKey        private key file, with {@code ~} expanded: the one set, or the seed's default
 * @param passphraseEnv the environment variable holding the key's passphrase, if it has one
 * @param knownHosts    the known_hosts file host keys are checked against
 * @param hostKeyPolicy what to do with a host that is not in {@code knownHosts}
 * @param remoteRoot    directory on the host whose tree is mirrored
 * @param sshKeySet     whether {@code ssh_key} was set: then that key is tried first, then the
 *                      agent's; when not, {@code sshKey} is the seed's default, tried only if it
 *                      exists, then the agent's keys and {@code ~/.ssh/id_ed25519}, {@code id_ecdsa},
 *                      {@code id_rsa}, as ssh tries them
 */
public record SshSource(
        String host,
        int port,
        String user,
        Path sshKey,
        Optional<String> passphraseEnv,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        String remoteRoot,
        boolean sshKeySet) {

    /** A source whose {@code ssh_key} was set. */
    public SshSource(String host, int port, String user, Path sshKey, Optional<String> passphraseEnv, Path knownHosts,
                     HostKeyPolicy hostKeyPolicy, String remoteRoot) {
        this(host, port, user, sshKey, passphraseEnv, knownHosts, hostKeyPolicy, remoteRoot, true);
    }

    /** {@code user@host:port}, as messages name the source. */
    public String where() {
        return user + "@" + host + ":" + port;
    }

    /** {@code user@host:port:remote_root}, as shown by {@code validate}. */
    public String describe() {
        return user + "@" + host + ":" + port + ":" + remoteRoot;
    }
}
