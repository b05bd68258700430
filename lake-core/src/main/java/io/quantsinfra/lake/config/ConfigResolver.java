package io.quantsinfra.lake.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Applies the defaults and the rules to a {@link ConfigSpec.Lake}. This is the one place that
 * knows them; YAML and the code builder both come through here.
 */
final class ConfigResolver {
    static final int DEFAULT_PORT = 6677;
    static final String DEFAULT_SSH_KEY = "~/.ssh/lightsail_key.pem";
    static final int DEFAULT_RETENTION_DAYS = 30;
    static final String DEFAULT_RSYNC_ARGS = "-az --partial --inplace";
    static final String CHECKPOINT_DIR_NAME = ".checkpoints";
    static final String DEFAULT_KNOWN_HOSTS = "~/.ssh/known_hosts";
    /** 0: chosen from the measured round trip. */
    static final int DEFAULT_PARALLEL_FILES = 0;
    static final int DEFAULT_RECONNECT_ATTEMPTS = 5;
    static final int DEFAULT_DISK_RESERVE_MB = 100;
    static final int DEFAULT_SFTP_CHANNELS = 4;
    static final int DEFAULT_READ_AHEAD = 64;
    static final int DEFAULT_MAX_DELETE_PERCENT = 50;

    static final String PORT_RULE = "must be an integer from 1 to 65535";
    static final String RETENTION_RULE = "must be a whole number of days, 0 or more (0 keeps data forever)";
    static final String BOOLEAN_RULE = "must be true or false";
    static final String MIN_AGE_RULE = "must be a whole number of seconds, 0 or more";
    static final String PARALLEL_RULE = "must be an integer from 1 to " + Profile.MOST_PARALLEL_FILES
            + " (leave it out to choose by the link's round trip)";
    static final String RECONNECT_RULE = "must be an integer from 0 to 100";
    static final String RESERVE_RULE = "must be a whole number of MiB, 0 or more";
    static final String CHANNELS_RULE = "must be an integer from 1 to 10 (OpenSSH allows 10 sessions per connection)";
    static final String READ_AHEAD_RULE = "must be an integer from 1 to 1024";
    static final String MAX_DELETE_PERCENT_RULE = "must be a whole percentage from 0 to 100 (100 lets --delete remove any share)";
    static final String PARQUET_PATTERNS_RULE = "must be a list of file patterns such as [\"*.parquet\"] ([] turns the"
            + " Parquet check off)";
    static final String HELD_BACK_HOURS_RULE = "must be a whole number of hours, 0 or more (0 never warns)";

    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Path home;
    private final Path workingDir;
    private final Map<String, String> env;
    private final Phrasing phrasing;

    /**
     * @param home       what {@code ~} expands to
     * @param workingDir what relative paths are resolved against
     * @param env        the environment defaults are read from, e.g. an object store's region
     * @param phrasing   how fixes name the settings: as the YAML keys or as the builder's methods
     */
    ConfigResolver(Path home, Path workingDir, Map<String, String> env, Phrasing phrasing) {
        this.home = home;
        this.workingDir = workingDir;
        this.env = env;
        this.phrasing = phrasing;
    }

    /** The outcome: a config when {@code errors} is empty. */
    record Resolution(Optional<DataLakeConfig> config, List<Finding> errors) {
    }

    Resolution resolve(ConfigSpec.Lake spec) {
        List<Finding> errors = new ArrayList<>();
        String rootDir = isBlank(spec.rootDir()) ? null : spec.rootDir().trim();
        Path root = null;
        Optional<S3Location> bucket = Optional.empty();
        if (rootDir == null) {
            errors.add(new Finding("root_dir", "required key is missing; set the lake's local directory or bucket,"
                    + " e.g. root_dir: /data/lake or root_dir: s3://quant-lake/raw"));
        } else if (ObjectStoreRules.isUri(rootDir)) {
            bucket = ObjectStoreRules.root(rootDir, errors);
        } else {
            root = path(rootDir);
        }
        boolean inStore = rootDir != null && ObjectStoreRules.isObjectStore(rootDir);
        Path checkpointDir = checkpointDir(spec.checkpointDir(), root, inStore, errors);
        Optional<ObjectStoreSettings> settings = inStore ? ObjectStoreRules.settings(spec.objectStore(), env, errors)
                : Optional.empty();
        if (root != null && spec.objectStore() != null) {
            errors.add(new Finding(ObjectStoreRules.SECTION, "is only for a lake in an object store, root_dir: s3://…;"
                    + " remove it, or set root_dir to s3://bucket/prefix"));
        }

        if (spec.profiles() == null || spec.profiles().isEmpty()) {
            errors.add(new Finding("profiles", "at least one profile is required under profiles:"));
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigSpec.ProfileSpec> e : spec.profilesOrEmpty().entrySet()) {
            Profile p = profile(e.getKey(), e.getValue(), root, bucket, checkpointDir, errors);
            if (p != null) {
                profiles.put(p.name(), p);
            }
        }
        checkOverlaps(profiles, checkpointDir, errors);
        Optional<Path> metricsFile = metricsFile(spec.metricsFile(), profiles, errors);
        if (!errors.isEmpty()) {
            return new Resolution(Optional.empty(), errors);
        }
        Optional<ObjectStoreRoot> objectStore = bucket.map(b -> new ObjectStoreRoot(b, settings.orElseThrow()));
        return new Resolution(Optional.of(new DataLakeConfig(Optional.ofNullable(root), checkpointDir, metricsFile, profiles,
                objectStore, phrasing)), errors);
    }

    /**
     * The resolved {@code checkpoint_dir}, always a local directory: by default {@code root_dir/.checkpoints},
     * and required for a lake in an object store, which has no local root to put it in.
     */
    private Path checkpointDir(String value, Path root, boolean inStore, List<Finding> errors) {
        if (value != null && ObjectStoreRules.isUri(value.trim())) {
            errors.add(new Finding("checkpoint_dir", "must be a local directory (got \"" + value
                    + "\"): checkpoints and locks live on local disk"));
            return null;
        }
        if (value != null) {
            return path(value);
        }
        if (inStore) {
            errors.add(new Finding("checkpoint_dir", "an object-store lake keeps its checkpoints and locks on local disk: "
                    + phrasing.setCheckpointDir()));
        }
        return root == null ? null : root.resolve(CHECKPOINT_DIR_NAME);
    }

    /** The profile {@code name}; {@code root} is the local root, or {@code bucket} the object store's, when valid. */
    private Profile profile(String name, ConfigSpec.ProfileSpec spec, Path root, Optional<S3Location> bucket, Path checkpointDir,
            List<Finding> errors) {
        String at = "profiles." + name;
        int before = errors.size();
        if (!PROFILE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            errors.add(new Finding(at, "profile name \"" + name
                    + "\" must use only letters, digits, '_', '.' and '-' (it names the checkpoint file)"));
        }
        if (spec == null) {
            errors.add(new Finding(at, "profile has no settings; it needs at least source: and local_subdir:"));
            return null;
        }
        SshSource source = source(at + ".source", spec.source(), errors);

        String subdir = spec.localSubdir();
        Optional<S3Location> objectLocation = Optional.empty();
        if (isBlank(subdir)) {
            errors.add(new Finding(at + ".local_subdir", "required key is missing; set a directory relative to root_dir, e.g. local_subdir: " + name));
        } else if (subdir.startsWith("/") || subdir.startsWith("~") || Path.of(subdir).isAbsolute()) {
            errors.add(new Finding(at + ".local_subdir", "must be relative to root_dir (got \"" + subdir + "\")"));
        } else if (List.of(subdir.split("/")).contains("..")) {
            errors.add(new Finding(at + ".local_subdir", "must not contain \"..\" (got \"" + subdir + "\")"));
        } else if (Path.of(subdir).normalize().toString().isEmpty() || Path.of(subdir).normalize().toString().equals(".")) {
            errors.add(new Finding(at + ".local_subdir", "must name a directory below root_dir, not root_dir itself (got \"" + subdir + "\")"));
        } else if (bucket.isPresent()) {
            objectLocation = ObjectStoreRules.below(bucket.get(), subdir, at + ".local_subdir", errors);
        }

        int retention = orDefault(spec.retentionDays(), DEFAULT_RETENTION_DAYS);
        if (retention < 0) {
            errors.add(new Finding(at + ".retention_days", RETENTION_RULE + " (got " + retention + ")"));
        }

        String rsyncArgs = spec.rsyncArgs() == null ? DEFAULT_RSYNC_ARGS : spec.rsyncArgs();
        RsyncOptions rsync = null;
        try {
            rsync = RsyncArgs.parse(rsyncArgs);
        } catch (IllegalArgumentException ex) {
            errors.add(new Finding(at + ".rsync_args", ex.getMessage()));
        }

        int minAge = orDefault(spec.minFileAgeSeconds(), 0);
        if (minAge < 0) {
            errors.add(new Finding(at + ".min_file_age_seconds", MIN_AGE_RULE + " (got " + minAge + ")"));
        }
        int parallel = orDefault(spec.parallelFiles(), DEFAULT_PARALLEL_FILES);
        if (spec.parallelFiles() != null && (parallel < 1 || parallel > Profile.MOST_PARALLEL_FILES)) {
            errors.add(new Finding(at + ".parallel_files", PARALLEL_RULE + " (got " + parallel + ")"));
        }
        int reconnects = orDefault(spec.reconnectAttempts(), DEFAULT_RECONNECT_ATTEMPTS);
        if (reconnects < 0 || reconnects > 100) {
            errors.add(new Finding(at + ".reconnect_attempts", RECONNECT_RULE + " (got " + reconnects + ")"));
        }
        int reserveMb = orDefault(spec.diskReserveMb(), DEFAULT_DISK_RESERVE_MB);
        if (reserveMb < 0) {
            errors.add(new Finding(at + ".disk_reserve_mb", RESERVE_RULE + " (got " + reserveMb + ")"));
        }

        int channels = orDefault(spec.sftpChannels(), DEFAULT_SFTP_CHANNELS);
        if (channels < 1 || channels > 10) {
            errors.add(new Finding(at + ".sftp_channels", CHANNELS_RULE + " (got " + channels + ")"));
        }
        int readAhead = orDefault(spec.readAhead(), DEFAULT_READ_AHEAD);
        if (readAhead < 1 || readAhead > 1024) {
            errors.add(new Finding(at + ".read_ahead", READ_AHEAD_RULE + " (got " + readAhead + ")"));
        }
        DeleteMode deleteMode = DeleteMode.RETENTION;
        if (spec.deleteMode() != null) {
            deleteMode = DeleteMode.fromConfig(spec.deleteMode()).orElse(null);
            if (deleteMode == null) {
                errors.add(new Finding(at + ".delete_mode", "must be \"retention\" (keep the days the collector purged until"
                        + " retention expires them) or \"mirror\" (delete whatever the remote no longer has) (got \""
                        + spec.deleteMode() + "\")"));
            }
        }
        int maxDeletePercent = orDefault(spec.maxDeletePercent(), DEFAULT_MAX_DELETE_PERCENT);
        if (maxDeletePercent < 0 || maxDeletePercent > 100) {
            errors.add(new Finding(at + ".max_delete_percent", MAX_DELETE_PERCENT_RULE + " (got " + maxDeletePercent + ")"));
        }
        ParquetParts parquet = parquetParts(at, spec, errors);
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        if (spec.timezone() != null) {
            try {
                zone = java.time.ZoneId.of(spec.timezone());
            } catch (java.time.DateTimeException e) {
                errors.add(new Finding(at + ".timezone", "must be a time zone such as UTC, Europe/London or Asia/Shanghai (got \""
                        + spec.timezone() + "\")"));
            }
        }

        if (errors.size() > before || checkpointDir == null || (root == null && bucket.isEmpty())) {
            return null;
        }
        Path checkpointFile = spec.checkpointFile() != null ? path(spec.checkpointFile())
                : checkpointDir.resolve(name + ".json");
        return new Profile(name, spec.enabled() == null || spec.enabled(), source, subdir,
                Optional.ofNullable(root).map(r -> r.resolve(subdir).normalize()), objectLocation, retention,
                rsyncArgs, rsync, checkpointFile, minAge, Boolean.TRUE.equals(spec.allowEmptyRemote()), parallel, reconnects,
                reserveMb * 1024L * 1024L, zone, channels, readAhead, deleteMode, maxDeletePercent, parquet);
    }

    /** The profile's Parquet parts: {@code parquet_patterns} and {@code held_back_warning_hours}, or their defaults. */
    private static ParquetParts parquetParts(String at, ConfigSpec.ProfileSpec spec, List<Finding> errors) {
        List<String> patterns = spec.parquetPatterns() == null ? ParquetParts.DEFAULT_PATTERNS : spec.parquetPatterns();
        int hours = orDefault(spec.heldBackWarningHours(), (int) ParquetParts.DEFAULT_WARN_AFTER.toHours());
        if (hours < 0) {
            errors.add(new Finding(at + ".held_back_warning_hours", HELD_BACK_HOURS_RULE + " (got " + hours + ")"));
            return null;
        }
        try {
            return new ParquetParts(patterns, java.time.Duration.ofHours(hours));
        } catch (IllegalArgumentException e) {
            errors.add(new Finding(at + ".parquet_patterns", PARQUET_PATTERNS_RULE + ": " + e.getMessage()));
            return null;
        }
    }

    private SshSource source(String at, ConfigSpec.Source spec, List<Finding> errors) {
        if (spec == null) {
            errors.add(new Finding(at, "required section is missing; a profile needs source: with type, host and remote_root"));
            return null;
        }
        int before = errors.size();
        if (isBlank(spec.type())) {
            errors.add(new Finding(at + ".type", "required key is missing; add type: ssh"));
        } else if (!spec.type().equals("ssh")) {
            errors.add(new Finding(at + ".type", "must be \"ssh\", the only supported source type (got \"" + spec.type() + "\")"));
        }
        if (isBlank(spec.host())) {
            errors.add(new Finding(at + ".host", "required key is missing; set the collector's address, e.g. host: 10.0.0.11"));
        } else if (spec.host().chars().anyMatch(c -> Character.isWhitespace(c) || c == '@' || c == '/')) {
            errors.add(new Finding(at + ".host", "must be a host name or IP address (got \"" + spec.host() + "\")"));
        }
        int port = orDefault(spec.port(), DEFAULT_PORT);
        if (port < 1 || port > 65535) {
            errors.add(new Finding(at + ".port", PORT_RULE + " (got " + port + ")"));
        }
        if (spec.user() != null && spec.user().isBlank()) {
            errors.add(new Finding(at + ".user", "must be a login name, e.g. user: ubuntu; leave it out to take User"
                    + " from ssh_config, or else the local account's name"));
        }
        if (isBlank(spec.remoteRoot())) {
            errors.add(new Finding(at + ".remote_root", "required key is missing; set the remote directory to mirror, e.g. remote_root: /var/data/cex_tickers"));
        }
        HostKeyPolicy policy = HostKeyPolicy.STRICT;
        if (spec.hostKeyPolicy() != null) {
            policy = HostKeyPolicy.fromConfig(spec.hostKeyPolicy()).orElse(null);
            if (policy == null) {
                errors.add(new Finding(at + ".host_key_policy", "must be \"strict\" or \"accept-new\" (got \"" + spec.hostKeyPolicy() + "\")"));
            }
        }
        String passphraseEnv = spec.sshKeyPassphraseEnv();
        if (passphraseEnv != null && !passphraseEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            errors.add(new Finding(at + ".ssh_key_passphrase_env", "must be the name of an environment variable, e.g. LAKE_KEY_PASSPHRASE"
                    + " (got \"" + passphraseEnv + "\"); never put the passphrase itself in the config"));
        }
        SshConfigChoice sshConfig = SshConfigChoice.USER_FILE;
        if (spec.sshConfig() != null) {
            if (spec.sshConfig().isBlank()) {
                errors.add(new Finding(at + ".ssh_config", "must be the path of an OpenSSH client config file, or "
                        + SshConfigChoice.NONE_VALUE + " to read none; leave it out to read ~/.ssh/config"));
            } else {
                sshConfig = spec.sshConfig().equals(SshConfigChoice.NONE_VALUE) ? SshConfigChoice.NONE
                        : SshConfigChoice.named(path(spec.sshConfig()));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        EnumSet<SshSource.Key> explicit = EnumSet.noneOf(SshSource.Key.class);
        addIf(explicit, SshSource.Key.PORT, spec.port());
        addIf(explicit, SshSource.Key.USER, spec.user());
        addIf(explicit, SshSource.Key.SSH_KEY, spec.sshKey());
        addIf(explicit, SshSource.Key.KNOWN_HOSTS, spec.knownHosts());
        return new SshSource(spec.host(), port, spec.user() == null ? SshSource.localUser() : spec.user(),
                path(spec.sshKey() == null ? DEFAULT_SSH_KEY : spec.sshKey()), Optional.ofNullable(passphraseEnv),
                path(spec.knownHosts() == null ? DEFAULT_KNOWN_HOSTS : spec.knownHosts()), policy, spec.remoteRoot(),
                sshConfig, explicit);
    }

    private static void addIf(EnumSet<SshSource.Key> explicit, SshSource.Key key, Object value) {
        if (value != null) {
            explicit.add(key);
        }
    }

    /**
     * Two profiles must never write into the same tree, and none into the checkpoints; the
     * latter only matters in a local lake, since a bucket holds no local files.
     */
    private static void checkOverlaps(Map<String, Profile> profiles, Path checkpointDir, List<Finding> errors) {
        List<Profile> list = new ArrayList<>(profiles.values());
        for (int i = 0; i < list.size(); i++) {
            Profile a = list.get(i);
            for (int j = 0; j < i; j++) {
                Profile b = list.get(j);
                if (overlap(a, b)) {
                    errors.add(new Finding("profiles." + a.name() + ".local_subdir", "\"" + a.localSubdir()
                            + "\" overlaps profile " + b.name() + "'s local_subdir \"" + b.localSubdir()
                            + "\"; each profile needs its own directory, or --delete of one would remove the other's files"));
                }
                if (a.checkpointFile().equals(b.checkpointFile())) {
                    errors.add(new Finding("profiles." + a.name() + ".checkpoint_file", "is also profile " + b.name()
                            + "'s checkpoint file (" + a.checkpointFile() + "); each profile needs its own"));
                }
            }
            for (Profile b : list) {
                b.localDir().filter(a.checkpointFile()::startsWith).ifPresent(dir -> errors.add(new Finding(
                        "profiles." + a.name() + ".checkpoint_file", a.checkpointFile() + " is inside profile " + b.name()
                        + "'s directory " + dir + ", where its --delete or cleanup could remove it; keep checkpoints in checkpoint_dir")));
            }
            a.localDir().filter(dir -> checkpointDir.startsWith(dir) || dir.startsWith(checkpointDir)).ifPresent(dir ->
                    errors.add(new Finding("profiles." + a.name() + ".local_subdir", "\"" + a.localSubdir()
                            + "\" overlaps checkpoint_dir " + checkpointDir + "; mirroring must never touch checkpoints")));
        }
    }

    /** Whether one profile's tree is the other's or lies below it; the profiles of one lake are both local or both not. */
    private static boolean overlap(Profile a, Profile b) {
        if (a.localDir().isPresent()) {
            Path x = a.localDir().get();
            Path y = b.localDir().orElseThrow();
            return x.startsWith(y) || y.startsWith(x);
        }
        return ObjectStoreRules.overlap(a.objectLocation().orElseThrow(), b.objectLocation().orElseThrow());
    }

    /** The resolved {@code metrics_file}: not blank, and outside every profile directory (which a sync may delete in). */
    private Optional<Path> metricsFile(String value, Map<String, Profile> profiles, List<Finding> errors) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            errors.add(new Finding("metrics_file", "must not be empty; remove the key to write no metrics"));
            return Optional.empty();
        }
        Path file = path(value);
        for (Profile p : profiles.values()) {
            if (p.localDir().filter(file::startsWith).isPresent()) {
                errors.add(new Finding("metrics_file", file + " is inside profile " + p.name()
                        + "'s directory; mirroring must never touch it"));
            }
        }
        return Optional.of(file);
    }

    private Path path(String value) {
        String v = value.trim();
        if (v.equals("~")) {
            return home;
        }
        if (v.startsWith("~/")) {
            return home.resolve(v.substring(2)).normalize();
        }
        return workingDir.resolve(v).normalize();
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
