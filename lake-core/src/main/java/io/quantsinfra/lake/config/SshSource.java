package io.quantsinfra.lake.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a profile's data comes from: an SFTP server reached over SSH.
 *
 * @param host          host name or IP address
 * @param port          SSH port
 * @param user          login name
 * @param sshKey        private key file, with {@code ~} expanded
 * @param passphraseEnv the environment variable holding the key's passphrase, if it has one
 * @param knownHosts    the known_hosts file host keys are checked against
 * @param hostKeyPolicy what to do with a host that is not in {@code knownHosts}
 * @param remoteRoot    directory on the host whose tree is mirrored
 */
public record SshSource(
        String host,
        int port,
        String user,
        Path sshKey,
        Optional<String> passphraseEnv,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        String remoteRoot) {

    /** {@code user@host:port}, as messages name the source. */
    public String where() {
        return user + "@" + host + ":" + port;
    }

    /** {@code user@host:port:remote_root}, as shown by {@code validate}. */
    public String describe() {
        return user + "@" + host + ":" + port + ":" + remoteRoot;
    }
}
