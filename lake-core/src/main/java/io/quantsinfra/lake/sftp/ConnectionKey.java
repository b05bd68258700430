package io.quantsinfra.lake.sftp;

import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.SshConfigChoice;
import io.quantsinfra.lake.sshconfig.ConnectionSettings;
import io.quantsinfra.lake.sshconfig.SshEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that decides how a profile's connection is made and what it can do: profiles with
 * equal keys share one connection while they run at once ({@link SharedConnections}). What
 * differs between such profiles (remote root, read-ahead, parallel files, filters) is each one's
 * own view of it.
 *
 * @param route            host, port, user, key files, known_hosts, jump hosts, connect timeout and
 *                         keepalive, settled with ssh_config; without the provenance and warnings,
 *                         which only describe them
 * @param sshConfig        which ssh_config the route was read from
 * @param hostKeyPolicy    what to do with a host that is not in known_hosts
 * @param passphraseEnv    the variable that holds the key's passphrase
 * @param passphraseDigest a SHA-256 digest of that variable's value, if it is set (see {@link #of})
 * @param home             {@code HOME}, under which the default key files are
 * @param agentSocket      {@code SSH_AUTH_SOCK}, the agent whose keys log in
 * @param compress         {@code -z}, negotiated when the connection is made
 * @param ioTimeout        {@code --timeout}, which bounds every request on the connection's channels
 * @param sftpChannels     the SFTP channels the connection opens
 */
record ConnectionKey(ConnectionSettings route, SshConfigChoice sshConfig, HostKeyPolicy hostKeyPolicy,
                     Optional<String> passphraseEnv, Optional<String> passphraseDigest, Optional<String> home,
                     Optional<String> agentSocket, boolean compress, Optional<Duration> ioTimeout, int sftpChannels) {

    /**
     * The key of {@code profile}'s connection. The passphrase counts, as two runs may give the
     * same variable different values, but only as a digest: the key lives as long as the
     * connection, in a map that outlives the run's environment, and need not hold the secret.
     *
     * @param settings the profile's settled settings, as the connection is made with
     * @param env      the run's environment
     */
    static ConnectionKey of(Profile profile, ConnectionSettings settings, Map<String, String> env) {
        ConnectionSettings route = new ConnectionSettings(settings.target(), settings.jumps(), settings.proxyJump(),
                settings.connectTimeout(), settings.serverAliveInterval(), settings.serverAliveCountMax(), List.of(),
                List.of());
        Optional<String> passphraseEnv = profile.source().passphraseEnv();
        return new ConnectionKey(route, profile.source().sshConfig(), profile.source().hostKeyPolicy(), passphraseEnv,
                passphraseEnv.map(env::get).map(ConnectionKey::sha256), Optional.ofNullable(env.get("HOME")),
                Optional.ofNullable(env.get(IdentitySources.AGENT_SOCKET_ENV)), profile.rsync().compress(),
                profile.rsync().ioTimeout(), profile.sftpChannels());
    }

    /**
     * Hashes the target's address and the channel count only: the generated hashCode bootstraps
     * method handles for this record and each record in it, tens of milliseconds on the
     * connecting thread of a fresh JVM, before the first packet. Equal keys still hash alike; {@code equals}
     * compares every component.
     */
    @Override
    public int hashCode() {
        SshEndpoint target = route.target();
        return Objects.hash(target.hostName(), target.port(), target.user(), sftpChannels);
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
