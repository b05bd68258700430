package io.quantsinfra.lake.sshconfig;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.SshSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Merges a profile with its host's ssh_config (see {@link ConnectionSettings#of}). For the
 * target: a key the profile sets wins, then ssh_config, then the seed's default; HostName always
 * comes from ssh_config when it has one, as the profile's host is what ssh_config is looked up
 * by. For a jump host, as ssh connects to it: the ProxyJump value's user and port, then the jump
 * host's own ssh_config, then ssh's defaults (port 22, the local account); its key and
 * known_hosts file, when its ssh_config names none, are the target's.
 */
final class SettingsResolver {
    private static final int SSH_PORT = 22;

    private final Profile profile;
    private final SshSource source;
    private final Map<String, String> env;
    private final Path home;
    private final List<ConnectionSettings.Provenance> provenance = new ArrayList<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    SettingsResolver(Profile profile, Map<String, String> env) {
        this.profile = profile;
        this.source = profile.source();
        this.env = env;
        this.home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    }

    ConnectionSettings resolve() {
        Optional<Path> file = configFile();
        HostConfig config = read(file, source.host());
        config.proxyCommand().filter(c -> !c.value().equalsIgnoreCase("none")).ifPresent(c -> {
            throw c.origin().error("ProxyCommand is not supported (it applies to " + source.host() + ")",
                    "reach the host through a jump host with ProxyJump [user@]host[:port] instead, or leave"
                            + " ProxyCommand out for " + source.host());
        });
        EnumSet<SshSource.Key> set = EnumSet.noneOf(SshSource.Key.class);
        String hostName = config.hostName().map(h -> hostName(h, source.host())).orElse(source.host());
        note("host", hostName, config.hostName().map(Found::origin).orElse(Origin.profile("source.host")));
        int port = pick("port", SshSource.Key.PORT, source.port(), config.port(), String::valueOf, set);
        String user = pick("user", SshSource.Key.USER, source.user(), config.user(), Function.identity(), set);
        Map<Character, String> tokens = tokens(source.host(), hostName, port, user);
        List<Found<Path>> identityFiles = config.identityFiles().stream()
                .map(f -> path(f, Keyword.IDENTITYFILE, tokens)).toList();
        Path key = pick("ssh_key", SshSource.Key.SSH_KEY, source.sshKey(), identityFiles.stream().findFirst(),
                Path::toString, set);
        boolean identitiesOnly = config.identitiesOnly().map(Found::value).orElse(false);
        config.identitiesOnly().ifPresent(f -> note("identities_only", f.value() ? "yes" : "no", f.origin()));
        Path knownHosts = pick("known_hosts", SshSource.Key.KNOWN_HOSTS, source.knownHosts(),
                firstKnownHosts(config, tokens), Path::toString, set);
        SshEndpoint target = new SshEndpoint(source.host(), hostName, port, user, key,
                identityFiles.stream().map(Found::value).toList(), identitiesOnly, knownHosts, set);

        Duration connectTimeout = connectTimeout(config);
        Duration aliveInterval = config.serverAliveInterval().map(Found::value)
                .orElse(ConnectionSettings.DEFAULT_SERVER_ALIVE_INTERVAL);
        note("server_alive_interval", aliveInterval.isZero() ? "0 (no keepalive)" : seconds(aliveInterval),
                config.serverAliveInterval().map(Found::origin).orElse(Origin.byDefault("")));
        int aliveCount = config.serverAliveCountMax().map(Found::value)
                .orElse(ConnectionSettings.DEFAULT_SERVER_ALIVE_COUNT_MAX);
        note("server_alive_count_max", String.valueOf(aliveCount),
                config.serverAliveCountMax().map(Found::origin).orElse(Origin.byDefault("")));

        Optional<Found<List<JumpHostSpec>>> proxyJump = config.proxyJump().filter(j -> !j.value().isEmpty());
        List<SshEndpoint> jumps = new ArrayList<>();
        if (proxyJump.isPresent()) {
            for (JumpHostSpec hop : proxyJump.get().value()) {
                jumps.add(jump(hop, file, target));
            }
            note("proxy_jump", jumps.stream().map(SshEndpoint::where).collect(Collectors.joining(", then ")),
                    proxyJump.get().origin());
        }
        return new ConnectionSettings(target, jumps, proxyJump.map(Found::origin), connectTimeout, aliveInterval,
                aliveCount, provenance, List.copyOf(warnings));
    }

    /**
     * The ssh_config file to read: the profile's, which must exist, or the user's own, which is
     * skipped, as ssh does, when it is missing or unreadable.
     */
    private Optional<Path> configFile() {
        Optional<Path> file = source.sshConfig().path(home);
        if (file.isEmpty()) {
            note("ssh_config", "none", Origin.profile("source.ssh_config"));
            return file;
        }
        Path f = file.get();
        if (source.sshConfig().isUserFile()) {
            boolean readable = Files.isRegularFile(f) && Files.isReadable(f);
            note("ssh_config", f + (readable ? "" : " (not found: none read)"), Origin.byDefault("~/.ssh/config"));
            return readable ? file : Optional.empty();
        }
        if (!Files.exists(f)) {
            throw new LakeException(LakeException.Kind.CONFIG, f.toString(), "the ssh_config file " + f + " named by"
                    + " source.ssh_config of profile " + profile.name() + " does not exist",
                    "create it, fix the path, or set source.ssh_config: none to read no ssh_config");
        }
        note("ssh_config", f.toString(), Origin.profile("source.ssh_config"));
        return file;
    }

    private HostConfig read(Optional<Path> file, String host) {
        HostConfig config = file.map(f -> SshConfigReader.read(f, host, home)).orElse(HostConfig.EMPTY);
        warnings.addAll(config.warnings());
        return config;
    }

    /** The profile's value when it set the key, else ssh_config's, else the profile's default; noted with its origin. */
    private <T> T pick(String setting, SshSource.Key key, T profileValue, Optional<Found<T>> fromConfig,
                       Function<T, String> show, Set<SshSource.Key> set) {
        T value;
        Origin origin;
        if (source.isExplicit(key)) {
            value = profileValue;
            origin = Origin.profile("source." + setting);
        } else if (fromConfig.isPresent()) {
            value = fromConfig.get().value();
            origin = fromConfig.get().origin();
        } else {
            value = profileValue;
            origin = Origin.byDefault(key == SshSource.Key.USER ? "the local account" : "");
        }
        if (origin.kind() != Origin.Kind.DEFAULT) {
            set.add(key);
        }
        note(setting, show.apply(value), origin);
        return value;
    }

    private Duration connectTimeout(HostConfig config) {
        Optional<Duration> fromRsync = profile.rsync().connectTimeout();
        Optional<Found<Duration>> fromConfig = config.connectTimeout()
                .flatMap(f -> f.value().map(d -> new Found<>(d, f.origin())));
        Duration timeout = fromRsync.or(() -> fromConfig.map(Found::value)).orElse(ConnectionSettings.DEFAULT_CONNECT_TIMEOUT);
        Origin origin = fromRsync.isPresent() ? Origin.profile("rsync_args --contimeout")
                : fromConfig.map(Found::origin).orElse(Origin.byDefault(""));
        note("connect_timeout", seconds(timeout), origin);
        return timeout;
    }

    /** A jump host, as ssh reaches it: see the class comment. */
    private SshEndpoint jump(JumpHostSpec hop, Optional<Path> file, SshEndpoint target) {
        HostConfig config = read(file, hop.host());
        EnumSet<SshSource.Key> set = EnumSet.noneOf(SshSource.Key.class);
        String hostName = config.hostName().map(h -> hostName(h, hop.host())).orElse(hop.host());
        Optional<Integer> port = hop.port().or(() -> config.port().map(Found::value));
        Optional<String> user = hop.user().or(() -> config.user().map(Found::value));
        port.ifPresent(p -> set.add(SshSource.Key.PORT));
        user.ifPresent(u -> set.add(SshSource.Key.USER));
        int p = port.orElse(SSH_PORT);
        String u = user.orElseGet(SshSource::localUser);
        Map<Character, String> tokens = tokens(hop.host(), hostName, p, u);
        List<Path> identityFiles = config.identityFiles().stream()
                .map(f -> path(f, Keyword.IDENTITYFILE, tokens).value()).toList();
        Optional<Path> knownHosts = firstKnownHosts(config, tokens).map(Found::value);
        if (!identityFiles.isEmpty()) {
            set.add(SshSource.Key.SSH_KEY);
        }
        knownHosts.ifPresent(k -> set.add(SshSource.Key.KNOWN_HOSTS));
        return new SshEndpoint(hop.host(), hostName, p, u, identityFiles.stream().findFirst().orElse(target.sshKey()),
                identityFiles, config.identitiesOnly().map(Found::value).orElse(false),
                knownHosts.orElse(target.knownHosts()), set);
    }

    private static String hostName(Found<String> hostName, String host) {
        String v = hostName.value();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '%') {
                out.append(c);
            } else if (i + 1 < v.length() && (v.charAt(i + 1) == 'h' || v.charAt(i + 1) == '%')) {
                out.append(v.charAt(++i) == 'h' ? host : "%");
            } else {
                throw hostName.origin().error("HostName may use only the token %h (the host as the profile names it)"
                        + " and %%", "write the host name out");
            }
        }
        return out.toString();
    }

    private Optional<Found<Path>> firstKnownHosts(HostConfig config, Map<Character, String> tokens) {
        return config.userKnownHostsFiles().map(f -> path(new Found<>(f.value().get(0), f.origin()),
                Keyword.USERKNOWNHOSTSFILE, tokens));
    }

    private Found<Path> path(Found<String> value, Keyword keyword, Map<Character, String> tokens) {
        String expanded = Tokens.expand(value, keyword.spelling(), tokens, env, home);
        try {
            // ssh opens a relative name from its working directory, as this process does
            return new Found<>(Path.of(expanded).toAbsolutePath().normalize(), value.origin());
        } catch (InvalidPathException e) {
            throw value.origin().error(keyword.spelling() + " is not a file name here: " + e.getMessage(),
                    "fix the file name");
        }
    }

    /** The tokens ssh expands in file names, but those of other machinery (%C, %i, %l, %L, %j, %T). */
    private Map<Character, String> tokens(String host, String hostName, int port, String user) {
        return Map.of('d', home.toString(), 'h', hostName, 'n', host, 'k', host, 'p', String.valueOf(port),
                'r', user, 'u', SshSource.localUser());
    }

    private void note(String setting, String value, Origin origin) {
        provenance.add(new ConnectionSettings.Provenance(setting, value, origin));
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }
}
