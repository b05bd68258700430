package io.quantsinfra.lake.config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where a profile's data comes from: an SFTP server reached over SSH. Values the profile leaves
 * out hold the seed's defaults; {@link #explicitKeys} tells which ones it set, as only those win
 * over the host's {@code ssh_config} (see {@code io.quantsinfra.lake.sshconfig}).
 *
 * @param host          host name or IP address, or an ssh_config alias
 * @param port          SSH port
 * @param user          login name; when the profile sets none, the local account's name, as ssh uses
 * @param sshKey        private key file, with {@code ~} expanded
 * @param passphraseEnv the environment variable holding the key's passphrase, if it has one
 * @param knownHosts    the known_hosts file host keys are checked against
 * @param hostKeyPolicy what to do with a host that is not in {@code knownHosts}
 * @param remoteRoot    directory on the host whose tree is mirrored
 * @param sshConfig     the ssh_config file read for {@code host}
 * @param explicitKeys  the keys the profile set itself, rather than leaving to ssh_config or the defaults
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
        SshConfigChoice sshConfig,
        Set<Key> explicitKeys) {

    /** The keys that ssh_config may set when the profile does not. */
    public enum Key {
        /** {@code source.port}; ssh_config's {@code Port}. */
        PORT,
        /** {@code source.user}; ssh_config's {@code User}. */
        USER,
        /** {@code source.ssh_key}; ssh_config's {@code IdentityFile}. */
        SSH_KEY,
        /** {@code source.known_hosts}; ssh_config's {@code UserKnownHostsFile}. */
        KNOWN_HOSTS
    }

    /** Copies the set so the record stays immutable. */
    public SshSource {
        explicitKeys = explicitKeys.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(explicitKeys));
    }

    /** A source whose every key was set, read with the user's own ssh_config (for tests and embedding code). */
    public SshSource(String host, int port, String user, Path sshKey, Optional<String> passphraseEnv, Path knownHosts,
                     HostKeyPolicy hostKeyPolicy, String remoteRoot) {
        this(host, port, user, sshKey, passphraseEnv, knownHosts, hostKeyPolicy, remoteRoot, SshConfigChoice.USER_FILE,
                EnumSet.allOf(Key.class));
    }

    /**
     * The login name when neither the profile nor ssh_config sets one: the local account's, which
     * ssh takes from the password database rather than {@code $USER}, as the JVM does.
     */
    public static String localUser() {
        return System.getProperty("user.name");
    }

    /** Whether the profile set {@code key} itself. */
    public boolean isExplicit(Key key) {
        return explicitKeys.contains(key);
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
