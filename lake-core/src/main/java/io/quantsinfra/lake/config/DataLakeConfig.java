package io.quantsinfra.lake.config;

import io.quantsinfra.lake.LakeException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A whole, resolved data-lake configuration. Load one from YAML with {@link ConfigLoader}, or
 * build one in code with {@link #builder(Path)} or {@link #builder(S3Location, ObjectStoreSettings)};
 * both apply the same defaults and rules.
 *
 * <p>The lake is either a local directory ({@link #rootDir()}) or a key prefix in an object store
 * ({@link #objectStore()}): exactly one of the two is present. Checkpoints, locks and metrics are
 * local files either way.
 *
 * @param rootDir       the local lake root; empty for a lake in an object store
 * @param checkpointDir where checkpoints and locks live, always a local directory
 * @param metricsFile   the Prometheus textfile-collector file written after every sync and cleanup,
 *                      if metrics are wanted
 * @param profiles      the profiles by name, in the order they were given
 * @param objectStore   the bucket, prefix and store settings of a lake whose {@code root_dir} is
 *                      {@code s3://…}; empty for a local lake
 * @param phrasing      who wrote it, so that hints name settings as YAML keys or as builder methods
 */
public record DataLakeConfig(Optional<Path> rootDir, Path checkpointDir, Optional<Path> metricsFile,
        Map<String, Profile> profiles, Optional<ObjectStoreRoot> objectStore, Phrasing phrasing) {

    /** A configuration read from YAML. */
    public DataLakeConfig(Optional<Path> rootDir, Path checkpointDir, Optional<Path> metricsFile,
                          Map<String, Profile> profiles, Optional<ObjectStoreRoot> objectStore) {
        this(rootDir, checkpointDir, metricsFile, profiles, objectStore, Phrasing.YAML);
    }

    /**
     * Copies the map, keeping its order, so the record stays immutable, and checks that the lake
     * is in exactly one place.
     */
    public DataLakeConfig {
        Objects.requireNonNull(rootDir, "rootDir");
        Objects.requireNonNull(objectStore, "objectStore");
        Objects.requireNonNull(phrasing, "phrasing");
        if (rootDir.isPresent() == objectStore.isPresent()) {
            throw new IllegalArgumentException("a lake needs exactly one of a root directory and an object store"
                    + " (got " + rootDir + " and " + objectStore + ")");
        }
        profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /**
     * Where the lake is, for messages: the root directory, or {@code s3://bucket/prefix}.
     *
     * @return {@link #rootDir()} as a string, else the object store's {@link S3Location#toString()}
     */
    public String location() {
        return rootDir.map(Path::toString).orElseGet(() -> objectStore.orElseThrow().location().toString());
    }

    /** The profile called {@code name}, if there is one. */
    public Optional<Profile> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /**
     * The profile called {@code name}.
     *
     * @throws LakeException of kind {@code CONFIG} naming the profiles there are
     */
    public Profile requireProfile(String name) {
        return profile(name).orElseThrow(() -> new LakeException(LakeException.Kind.CONFIG, name,
                "unknown profile \"" + name + "\"; profiles: " + String.join(", ", profiles.keySet()),
                phrasing.hint("check the name, or run: quants-infra data-lake validate")));
    }

    /** The profiles with {@code enabled: true}, in order. */
    public List<Profile> enabledProfiles() {
        return profiles.values().stream().filter(Profile::enabled).collect(Collectors.toList());
    }

    /**
     * Starts a configuration in code, for services that do not use YAML.
     *
     * <pre>{@code
     * DataLakeConfig config = DataLakeConfig.builder(Path.of("/data/lake"))
     *     .profile("cex_ticks", p -> p.host("10.0.0.11").user("ubuntu")
     *         .remoteRoot("/var/data/cex_tickers").localSubdir("cex_ticks")
     *         .sshKey(Path.of("/etc/lake/id_ed25519")).rsyncArgs("-az --partial --delete"))
     *     .build();
     * }</pre>
     */
    public static Builder builder(Path rootDir) {
        return new Builder(string(rootDir), null);
    }

    /**
     * Starts a configuration in code for a lake kept in an object store. Its checkpoints and locks
     * stay on local disk, so {@link Builder#checkpointDir(Path)} is required.
     *
     * <pre>{@code
     * DataLakeConfig config = DataLakeConfig.builder(S3Location.parse("s3://quant-lake/raw"),
     *         ObjectStoreSettings.pathStyle(URI.create("http://minio.internal:9000"), "us-east-1"))
     *     .checkpointDir(Path.of("/var/lib/quants-infra"))
     *     .profile("cex_ticks", p -> p.host("10.0.0.11").remoteRoot("/var/data/cex_tickers").localSubdir("cex_ticks"))
     *     .build();
     * }</pre>
     *
     * @param root     the bucket and prefix the lake's files go below
     * @param settings how to reach the store; credentials come from the AWS SDK's default chain
     * @return a builder whose profiles' {@code localSubdir} is a key prefix below {@code root}
     */
    public static Builder builder(S3Location root, ObjectStoreSettings settings) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(settings, "settings");
        return new Builder(root.toString(), new ConfigSpec.ObjectStore(settings.endpoint().map(URI::toString).orElse(null),
                settings.region(), settings.pathStyle()));
    }

    /** Collects a configuration in code; {@link #build()} checks it with the same rules as YAML. */
    public static final class Builder {
        /** {@code root_dir} as the YAML would spell it: a path, or {@code s3://bucket/prefix}. */
        private final String rootDir;
        /** The {@code object_store:} section, for a lake in an object store; {@code null} otherwise. */
        private final ConfigSpec.ObjectStore objectStore;
        private Path checkpointDir;
        private Path metricsFile;
        private final LinkedHashMap<String, ProfileBuilder> profiles = new LinkedHashMap<>();

        private Builder(String rootDir, ConfigSpec.ObjectStore objectStore) {
            this.rootDir = rootDir;
            this.objectStore = objectStore;
        }

        /**
         * Where checkpoints and locks live: by default {@code root_dir/.checkpoints} for a local lake;
         * required for a lake in an object store.
         */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = dir;
            return this;
        }

        /** Writes Prometheus metrics to {@code file} after every sync and cleanup (default: none). */
        public Builder metricsFile(Path file) {
            this.metricsFile = file;
            return this;
        }

        /** Adds (or replaces) a profile, filled in by {@code settings}. */
        public Builder profile(String name, Consumer<ProfileBuilder> settings) {
            ProfileBuilder p = new ProfileBuilder();
            settings.accept(p);
            profiles.put(name, p);
            return this;
        }

        /**
         * Resolves the configuration.
         *
         * @throws LakeException of kind {@code CONFIG} listing every problem
         */
        public DataLakeConfig build() {
            LinkedHashMap<String, ConfigSpec.ProfileSpec> specs = new LinkedHashMap<>();
            profiles.forEach((name, p) -> specs.put(name, p.spec()));
            ConfigSpec.Lake spec = new ConfigSpec.Lake(rootDir, string(checkpointDir), string(metricsFile), specs,
                    objectStore);
            Path cwd = Path.of("").toAbsolutePath();
            ConfigResolver.Resolution r = new ConfigResolver(Path.of(System.getProperty("user.home")), cwd, System.getenv(),
                    Phrasing.BUILDER).resolve(spec);
            List<ConfigProblem> errors = r.errors().stream()
                    .map(f -> new ConfigProblem("", 0, 0, f.path(), f.message())).collect(Collectors.toList());
            return new ConfigReport(r.config(), errors, List.of()).orThrow("fix these settings of DataLakeConfig.builder: each"
                    + " line names a profile and a setting as the YAML spells it, e.g. profiles.a.source.port is"
                    + " .port(...) in .profile(\"a\", ...)");
        }

    }

    private static String string(Path p) {
        return p == null ? null : p.toString();
    }

    /** The settings of one profile built in code; unset values take the documented defaults. */
    public static final class ProfileBuilder {
        private Boolean enabled;
        private String host;
        private Integer port;
        private String user;
        private Path sshKey;
        private String remoteRoot;
        private String localSubdir;
        private Integer retentionDays;
        private String rsyncArgs;
        /** Flags set one by one ({@link #delete()}, {@link #exclude}...), after those of {@link #rsyncArgs}. */
        private final List<String> flags = new ArrayList<>();
        private Path checkpointFile;
        private Path knownHosts;
        private HostKeyPolicy hostKeyPolicy;
        private String passphraseEnv;
        private Integer minFileAgeSeconds;
        private Boolean allowEmptyRemote;
        private Integer parallelFiles;
        private Integer reconnectAttempts;
        private Integer diskReserveMb;
        private String timezone;
        private Integer sftpChannels;
        private Integer readAhead;
        private DeleteMode deleteMode;
        private Integer maxDeletePercent;
        private String sshConfig;
        private List<String> parquetPatterns;
        private Integer heldBackWarningHours;

        private ProfileBuilder() {
        }

        /** Whether {@code --all} includes this profile (default true). */
        public ProfileBuilder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /** The SSH host (required). */
        public ProfileBuilder host(String value) {
            this.host = value;
            return this;
        }

        /** The SSH port (default 6677). */
        public ProfileBuilder port(int value) {
            this.port = value;
            return this;
        }

        /** The login name (default: ssh_config's {@code User} for the host, else the local account's name). */
        public ProfileBuilder user(String value) {
            this.user = value;
            return this;
        }

        /**
         * The private key file, tried first, then the ssh-agent's keys. Unset, {@code ~/.ssh/lightsail_key.pem}
         * is tried if it exists, then the agent's keys, then {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}.
         */
        public ProfileBuilder sshKey(Path value) {
            this.sshKey = value;
            return this;
        }

        /** The remote directory to mirror (required). */
        public ProfileBuilder remoteRoot(String value) {
            this.remoteRoot = value;
            return this;
        }

        /**
         * The directory relative to the lake root (required); for a lake in an object store, the key
         * prefix below the root's prefix.
         */
        public ProfileBuilder localSubdir(String value) {
            this.localSubdir = value;
            return this;
        }

        /** Days of data to keep; 0 keeps data forever (default 30). */
        public ProfileBuilder retentionDays(int value) {
            this.retentionDays = value;
            return this;
        }

        /**
         * rsync-style flags (default {@code -az --partial --inplace}); the typed methods below add to
         * them, with the same meaning (see docs/configuration.md, {@code rsync_args}).
         */
        public ProfileBuilder rsyncArgs(String value) {
            this.rsyncArgs = value;
            return this;
        }

        /** {@code --delete}: delete local entries the remote no longer has, with every guard. */
        public ProfileBuilder delete() {
            return flag("--delete");
        }

        /** {@code --max-delete=N}: delete nothing if more than {@code n} entries would go. */
        public ProfileBuilder maxDelete(int n) {
            return flag("--max-delete=" + n);
        }

        /** {@code --bwlimit=RATE}, e.g. {@code "10M"}; {@code "0"} means no limit. */
        public ProfileBuilder bwlimit(String rate) {
            return flag("--bwlimit=" + rate);
        }

        /** {@code --exclude=PATTERN}: an rsync glob, applied in order with {@link #include}. */
        public ProfileBuilder exclude(String pattern) {
            return flag("--exclude=" + pattern);
        }

        /** {@code --include=PATTERN}: an rsync glob, applied in order with {@link #exclude}. */
        public ProfileBuilder include(String pattern) {
            return flag("--include=" + pattern);
        }

        /** {@code --timeout=SECONDS}: how long a request may wait for its answer. */
        public ProfileBuilder timeout(java.time.Duration value) {
            return flag("--timeout=" + value.toSeconds());
        }

        /** {@code --contimeout=SECONDS}: how long making the SSH session may take. */
        public ProfileBuilder contimeout(java.time.Duration value) {
            return flag("--contimeout=" + value.toSeconds());
        }

        /** Adds one flag, escaped so that the rsync_args splitter reads it back whole. */
        private ProfileBuilder flag(String token) {
            flags.add(RsyncArgs.quote(token));
            return this;
        }

        /** Where the checkpoint is kept (default {@code checkpoint_dir/NAME.json}). */
        public ProfileBuilder checkpointFile(Path value) {
            this.checkpointFile = value;
            return this;
        }

        /** The known_hosts file host keys are checked against (default {@code ~/.ssh/known_hosts}). */
        public ProfileBuilder knownHosts(Path value) {
            this.knownHosts = value;
            return this;
        }

        /** What to do with an unknown host (default {@link HostKeyPolicy#STRICT}). */
        public ProfileBuilder hostKeyPolicy(HostKeyPolicy value) {
            this.hostKeyPolicy = value;
            return this;
        }

        /** The environment variable that holds the key's passphrase (default: the key has none). */
        public ProfileBuilder sshKeyPassphraseEnv(String value) {
            this.passphraseEnv = value;
            return this;
        }

        /** Leave remote files younger than this for the next run (default 0: take everything). */
        public ProfileBuilder minFileAgeSeconds(int value) {
            this.minFileAgeSeconds = value;
            return this;
        }

        /** Let {@code --delete} empty the local tree when the remote holds no files (default false). */
        public ProfileBuilder allowEmptyRemote(boolean value) {
            this.allowEmptyRemote = value;
            return this;
        }

        /**
         * Transfers at once, a large file or a group of small ones each (default: from the round
         * trip, 16 up to 20 ms, then 0.8 per millisecond).
         */
        public ProfileBuilder parallelFiles(int value) {
            this.parallelFiles = value;
            return this;
        }

        /** Reconnects allowed within one run after the link drops (default 5). */
        public ProfileBuilder reconnectAttempts(int value) {
            this.reconnectAttempts = value;
            return this;
        }

        /** Free space, in MiB, that a sync leaves on the local file store (default 100). */
        public ProfileBuilder diskReserveMb(int value) {
            this.diskReserveMb = value;
            return this;
        }

        /** The zone "today" is taken in for retention (default UTC). */
        public ProfileBuilder timezone(java.time.ZoneId value) {
            this.timezone = value.getId();
            return this;
        }

        /** SFTP sessions on the one SSH connection (default 4). */
        public ProfileBuilder sftpChannels(int value) {
            this.sftpChannels = value;
            return this;
        }

        /** READ requests in flight per file (default 64). */
        public ProfileBuilder readAhead(int value) {
            this.readAhead = value;
            return this;
        }

        /** How {@code --delete} treats the days the collector purged (default {@link DeleteMode#RETENTION}). */
        public ProfileBuilder deleteMode(DeleteMode value) {
            this.deleteMode = value;
            return this;
        }

        /** The largest share of the files it considers, 0-100, that {@code --delete} removes in one run (default 50). */
        public ProfileBuilder maxDeletePercent(int value) {
            this.maxDeletePercent = value;
            return this;
        }

        /**
         * The OpenSSH client config read for the host (default: {@code ~/.ssh/config} under the
         * {@code HOME} of the run's environment, when it exists). Values the profile sets win over it.
         */
        public ProfileBuilder sshConfig(Path value) {
            this.sshConfig = value.toString();
            return this;
        }

        /**
         * The rsync-style globs that name Parquet parts, published only once structurally
         * complete (default {@code *.parquet}); none turns the check off.
         */
        public ProfileBuilder parquetPatterns(String... patterns) {
            this.parquetPatterns = List.of(patterns);
            return this;
        }

        /** Hours a Parquet part may stay held back, unchanged, before a run warns about it (default 24; 0 never warns). */
        public ProfileBuilder heldBackWarningHours(int value) {
            this.heldBackWarningHours = value;
            return this;
        }

        /** Reads no ssh_config for the host, as {@code ssh -F none}. */
        public ProfileBuilder noSshConfig() {
            this.sshConfig = SshConfigChoice.NONE_VALUE;
            return this;
        }

        private ConfigSpec.ProfileSpec spec() {
            return new ConfigSpec.ProfileSpec(enabled,
                    new ConfigSpec.Source("ssh", host, port, user, string(sshKey), passphraseEnv, string(knownHosts),
                            hostKeyPolicy == null ? null : hostKeyPolicy.configName(), remoteRoot, sshConfig),
                    localSubdir, retentionDays, flags.isEmpty() ? rsyncArgs
                            : (rsyncArgs == null ? ConfigResolver.DEFAULT_RSYNC_ARGS : rsyncArgs) + " " + String.join(" ", flags),
                    string(checkpointFile),
                    minFileAgeSeconds, allowEmptyRemote, parallelFiles, reconnectAttempts, diskReserveMb, timezone,
                    sftpChannels, readAhead, deleteMode == null ? null : deleteMode.configName(), maxDeletePercent,
                    parquetPatterns, heldBackWarningHours);
        }
    }
}
