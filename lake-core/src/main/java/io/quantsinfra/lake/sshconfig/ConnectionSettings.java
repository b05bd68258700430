package io.quantsinfra.lake.sshconfig;

import io.quantsinfra.lake.config.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a profile's source, every value settled: the profile's explicit keys win, then its
 * host's ssh_config, then the defaults. Resolved again for every connection, so an edit of
 * ssh_config counts from the next one.
 *
 * @param target              the profile's SSH server
 * @param jumps               the ProxyJump hosts, in the order they are connected; empty for a
 *                            direct connection
 * @param proxyJump           the ssh_config line the jump hosts come from
 * @param connectTimeout      the bound on making the session ({@code --contimeout}, else
 *                            ConnectTimeout, else 30 s)
 * @param serverAliveInterval the interval between keepalive probes; zero sends none
 * @param serverAliveCountMax the probes that may go unanswered before the link counts as dead
 * @param provenance          each value as {@code validate} shows it, with where it came from
 * @param warnings            ssh_config lines read but not honoured, each naming its {@code file:line}
 */
public record ConnectionSettings(SshEndpoint target, List<SshEndpoint> jumps, Optional<Origin> proxyJump,
                                 Duration connectTimeout, Duration serverAliveInterval, int serverAliveCountMax,
                                 List<Provenance> provenance, List<String> warnings) {
    /** The bound on making a session when neither {@code --contimeout} nor ConnectTimeout sets one. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Keepalive probes, unless ServerAliveInterval says otherwise (ssh sends none by default). */
    public static final Duration DEFAULT_SERVER_ALIVE_INTERVAL = Duration.ofSeconds(5);
    /** Missed probes that drop the link, unless ServerAliveCountMax says otherwise (ssh's default too). */
    public static final int DEFAULT_SERVER_ALIVE_COUNT_MAX = 3;

    /** Copies the lists so the record stays immutable. */
    public ConnectionSettings {
        jumps = List.copyOf(jumps);
        provenance = List.copyOf(provenance);
        warnings = List.copyOf(warnings);
    }

    /**
     * One value and where it came from.
     *
     * @param setting the profile key it stands for, or the ssh_config keyword when there is none
     * @param value   the value, as shown
     * @param origin  where it came from
     */
    public record Provenance(String setting, String value, Origin origin) {
    }

    /**
     * Settles how to reach {@code profile}'s source: reads its ssh_config ({@code source.ssh_config},
     * else {@code ~/.ssh/config} under {@code HOME} of {@code env}, when it exists) for its host and
     * each jump host, and merges it with the profile.
     *
     * @param env the run's environment: {@code HOME}, and variables that ssh_config paths name
     * @throws io.quantsinfra.lake.LakeException of kind {@code CONFIG} for a bad ssh_config line
     *         (naming its {@code file:line}), a named file that does not exist, or a ProxyCommand
     */
    public static ConnectionSettings of(Profile profile, Map<String, String> env) {
        return new SettingsResolver(profile, env).resolve();
    }
}
