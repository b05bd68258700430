package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path home;

    private ConfigLoader loader() {
        return new ConfigLoader(home, home);
    }

    private static final String VALID = """
            data_lake:
              root_dir: /data/lake
              profiles:
                cex_ticks:
                  source:
                    type: ssh
                    host: 10.0.0.11
                    user: ubuntu
                    remote_root: /var/data/cex_tickers
                  local_subdir: cex_ticks
            """;

    @Test
    void seedExample_validates() {
        ConfigReport report = loader().load(Path.of("../config/data_lake.example.yml"));
        assertEquals(List.of(), report.errors());
        DataLakeConfig config = report.orThrow();
        assertEquals(List.of("cex_ticks", "dex_candles"), List.copyOf(config.profiles().keySet()));
        Profile cex = config.profiles().get("cex_ticks");
        assertEquals("ubuntu@10.0.0.11:6677:/var/data/cex_tickers", cex.source().describe());
        assertTrue(cex.rsync().delete());
        Profile dex = config.profiles().get("dex_candles");
        assertFalse(dex.enabled());
        assertEquals(60, dex.retentionDays());
        assertEquals(List.of(cex), config.enabledProfiles());
    }

    /** Every key of the file, each set away from its default, reaches the resolved config under its own name. */
    @Test
    void everyKey_reachesTheResolvedConfig() {
        DataLakeConfig config = loader().parse("""
                data_lake:
                  root_dir: /data/lake
                  checkpoint_dir: /data/checkpoints
                  metrics_file: /data/metrics/lake.prom
                  profiles:
                    p:
                      enabled: false
                      source:
                        type: ssh
                        host: collector-1
                        port: 2222
                        user: lake
                        ssh_key: /keys/id_ed25519
                        ssh_key_passphrase_env: LAKE_KEY_PASSPHRASE
                        known_hosts: /keys/known_hosts
                        host_key_policy: accept-new
                        ssh_config: /etc/lake/ssh_config
                        remote_root: /var/data
                      local_subdir: ticks
                      retention_days: 7
                      rsync_args: "-a --delete"
                      checkpoint_file: /data/checkpoints/ticks.json
                      min_file_age_seconds: 30
                      allow_empty_remote: true
                      parallel_files: 12
                      reconnect_attempts: 5
                      disk_reserve_mb: 2
                      timezone: Asia/Tokyo
                      sftp_channels: 3
                      read_ahead: 16
                      delete_mode: mirror
                      max_delete_percent: 20
                """, "c.yml").orThrow();
        assertEquals(java.util.Optional.of(Path.of("/data/lake")), config.rootDir());
        assertEquals(Path.of("/data/checkpoints"), config.checkpointDir());
        assertEquals(java.util.Optional.of(Path.of("/data/metrics/lake.prom")), config.metricsFile());
        Profile p = config.profiles().get("p");
        assertEquals(new SshSource("collector-1", 2222, "lake", Path.of("/keys/id_ed25519"),
                java.util.Optional.of("LAKE_KEY_PASSPHRASE"), Path.of("/keys/known_hosts"), HostKeyPolicy.ACCEPT_NEW,
                "/var/data", SshConfigChoice.named(Path.of("/etc/lake/ssh_config")), EnumSet.allOf(SshSource.Key.class)),
                p.source());
        assertFalse(p.enabled());
        assertEquals("ticks", p.localSubdir());
        assertEquals(7, p.retentionDays());
        assertEquals("-a --delete", p.rsyncArgs());
        assertEquals(Path.of("/data/checkpoints/ticks.json"), p.checkpointFile());
        assertEquals(30, p.minFileAgeSeconds());
        assertTrue(p.allowEmptyRemote());
        assertEquals(12, p.parallelFiles());
        assertEquals(5, p.reconnectAttempts());
        assertEquals(2L * 1024 * 1024, p.diskReserveBytes());
        assertEquals(java.time.ZoneId.of("Asia/Tokyo"), p.timezone());
        assertEquals(3, p.sftpChannels());
        assertEquals(16, p.readAhead());
        assertEquals(DeleteMode.MIRROR, p.deleteMode());
        assertEquals(20, p.maxDeletePercent());
    }

    @Test
    void defaults_areApplied() {
        DataLakeConfig config = loader().parse(VALID, "c.yml").orThrow();
        assertEquals(java.util.Optional.of(Path.of("/data/lake")), config.rootDir());
        assertEquals(Path.of("/data/lake/.checkpoints"), config.checkpointDir());
        Profile p = config.profiles().get("cex_ticks");
        assertTrue(p.enabled());
        assertEquals(6677, p.source().port());
        assertEquals(home.resolve(".ssh/lightsail_key.pem"), p.source().sshKey());
        assertFalse(p.source().isExplicit(SshSource.Key.SSH_KEY), "the default is tried only if it exists, then the agent and ~/.ssh/id_*");
        assertEquals(30, p.retentionDays());
        assertEquals("-az --partial --inplace", p.rsyncArgs());
        assertTrue(p.rsync().partial() && p.rsync().inplace() && p.rsync().compress() && p.rsync().recursive());
        assertFalse(p.rsync().delete());
        assertEquals(Path.of("/data/lake/.checkpoints/cex_ticks.json"), p.checkpointFile());
        assertEquals(java.util.Optional.of(Path.of("/data/lake/cex_ticks")), p.localDir());
        assertEquals(home.resolve(".ssh/known_hosts"), p.source().knownHosts());
        assertEquals(HostKeyPolicy.STRICT, p.source().hostKeyPolicy());
        assertEquals(java.util.Optional.empty(), p.source().passphraseEnv());
        assertEquals(0, p.minFileAgeSeconds());
        assertFalse(p.allowEmptyRemote());
        assertEquals(0, p.parallelFiles(), "automatic");
        assertEquals(4, p.sftpChannels());
        assertEquals(64, p.readAhead());
        assertEquals(DeleteMode.RETENTION, p.deleteMode());
        assertEquals(50, p.maxDeletePercent());
        assertEquals(5, p.reconnectAttempts());
        assertEquals(100L * 1024 * 1024, p.diskReserveBytes());
        assertEquals(new ParquetParts(List.of("*.parquet"), java.time.Duration.ofHours(24)), p.parquetParts());
        assertFalse(p.writesInPlace("d/part_00001.parquet"), "--inplace never applies to a Parquet part");
        assertTrue(p.writesInPlace("d/notes.csv"));
    }

    @Test
    void parquetPatterns_areAListInEitherStyle_andAnEmptyOneTurnsTheCheckOff() {
        Profile flow = loader().parse(VALID + "      parquet_patterns: [\"trades/*.parquet\", \"*.pq\"]\n"
                + "      held_back_warning_hours: 0\n", "c.yml").orThrow().profiles().get("cex_ticks");
        assertEquals(List.of("trades/*.parquet", "*.pq"), flow.parquetParts().patterns());
        assertTrue(flow.parquetParts().covers("trades/a.parquet") && flow.parquetParts().covers("x/y.pq"));
        assertFalse(flow.parquetParts().covers("quotes/a.parquet"));
        assertEquals(java.time.Duration.ZERO, flow.parquetParts().warnAfter());
        Profile block = loader().parse(VALID + "      parquet_patterns:\n        - \"*.parquet\"\n", "c.yml").orThrow()
                .profiles().get("cex_ticks");
        assertEquals(List.of("*.parquet"), block.parquetParts().patterns());
        Profile off = loader().parse(VALID + "      parquet_patterns: []\n", "c.yml").orThrow().profiles().get("cex_ticks");
        assertFalse(off.parquetParts().covers("a.parquet"));
        assertTrue(off.writesInPlace("a.parquet"), "with the check off, --inplace applies to every file");
    }

    @Test
    void sourceKeysLeftOut_areDefaults_thatSshConfigMayOverride() {
        SshSource s = loader().parse(VALID.replace("        user: ubuntu\n", ""), "c.yml").orThrow().profiles()
                .get("cex_ticks").source();
        assertEquals(SshSource.localUser(), s.user(), "no user: the local account's, as ssh");
        assertEquals(Set.of(), s.explicitKeys());
        assertEquals(SshConfigChoice.USER_FILE, s.sshConfig());
        assertEquals(java.util.Optional.of(home.resolve(".ssh/config")), s.sshConfig().path(home));
        SshSource set = loader().parse(VALID.replace("user: ubuntu", "user: ubuntu\n        port: 22\n        ssh_config: none"),
                "c.yml").orThrow().profiles().get("cex_ticks").source();
        assertEquals(Set.of(SshSource.Key.USER, SshSource.Key.PORT), set.explicitKeys());
        assertEquals(SshConfigChoice.NONE, set.sshConfig());
        assertEquals(java.util.Optional.empty(), set.sshConfig().path(home));
        SshSource named = loader().parse(VALID.replace("user: ubuntu", "user: ubuntu\n        ssh_config: ~/cron_ssh"),
                "c.yml").orThrow().profiles().get("cex_ticks").source();
        assertEquals(SshConfigChoice.named(home.resolve("cron_ssh")), named.sshConfig());
    }

    @Test
    void optionalSettings_areRead() {
        String yaml = VALID.replace("user: ubuntu", "user: ubuntu\n        known_hosts: ~/kh\n        host_key_policy: accept-new"
                + "\n        ssh_key_passphrase_env: LAKE_PASS") + """
                      min_file_age_seconds: 60
                      allow_empty_remote: true
                      parallel_files: 32
                      reconnect_attempts: 0
                      disk_reserve_mb: 1024
                """;
        Profile p = loader().parse(yaml, "c.yml").orThrow().profiles().get("cex_ticks");
        assertEquals(home.resolve("kh"), p.source().knownHosts());
        assertEquals(HostKeyPolicy.ACCEPT_NEW, p.source().hostKeyPolicy());
        assertEquals(java.util.Optional.of("LAKE_PASS"), p.source().passphraseEnv());
        assertEquals(60, p.minFileAgeSeconds());
        assertTrue(p.allowEmptyRemote());
        assertEquals(32, p.parallelFiles());
        assertEquals(0, p.reconnectAttempts());
        assertEquals(1024L * 1024 * 1024, p.diskReserveBytes());
    }

    @Test
    void tildeAndRelativePaths_areExpanded() {
        String yaml = VALID.replace("root_dir: /data/lake", "root_dir: ~/lake\n  checkpoint_dir: state")
                .replace("local_subdir: cex_ticks", "local_subdir: cex_ticks\n      checkpoint_file: ~/cp/x.json");
        DataLakeConfig config = loader().parse(yaml, "c.yml").orThrow();
        assertEquals(java.util.Optional.of(home.resolve("lake")), config.rootDir());
        assertEquals(home.resolve("state"), config.checkpointDir());
        assertEquals(home.resolve("cp/x.json"), config.profiles().get("cex_ticks").checkpointFile());
    }

    @Test
    void metricsFile_isOptional_andExpandedLikeOtherPaths() {
        assertEquals(java.util.Optional.empty(), loader().parse(VALID, "c.yml").orThrow().metricsFile());
        String yaml = VALID.replace("root_dir: /data/lake", "root_dir: /data/lake\n  metrics_file: ~/textfile/data_lake.prom");
        assertEquals(java.util.Optional.of(home.resolve("textfile/data_lake.prom")), loader().parse(yaml, "c.yml").orThrow().metricsFile());
    }

    /** One failing case: the YAML, and the exact path, line, column and a piece of the message expected. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("port not an integer", VALID.replace("user: ubuntu", "user: ubuntu\n        port: 66a"),
                        "profiles.cex_ticks.source.port", 9, 15, "must be an integer from 1 to 65535 (got \"66a\")"),
                Arguments.of("port out of range", VALID.replace("user: ubuntu", "user: ubuntu\n        port: 70000"),
                        "profiles.cex_ticks.source.port", 9, 15, "must be an integer from 1 to 65535 (got 70000)"),
                Arguments.of("root_dir missing", VALID.replace("  root_dir: /data/lake\n", ""),
                        "root_dir", 1, 1, "required key is missing"),
                Arguments.of("type missing", VALID.replace("        type: ssh\n", ""),
                        "profiles.cex_ticks.source.type", 5, 7, "required key is missing; add type: ssh"),
                Arguments.of("type not ssh", VALID.replace("type: ssh", "type: rsync"),
                        "profiles.cex_ticks.source.type", 6, 15, "must be \"ssh\""),
                Arguments.of("host missing", VALID.replace("        host: 10.0.0.11\n", ""),
                        "profiles.cex_ticks.source.host", 5, 7, "required key is missing"),
                Arguments.of("user empty", VALID.replace("user: ubuntu", "user: \"\""),
                        "profiles.cex_ticks.source.user", 8, 15, "must be a login name"),
                Arguments.of("ssh_config empty", VALID.replace("user: ubuntu", "user: ubuntu\n        ssh_config: \"\""),
                        "profiles.cex_ticks.source.ssh_config", 9, 21, "must be the path of an OpenSSH client config file"),
                Arguments.of("remote_root missing", VALID.replace("        remote_root: /var/data/cex_tickers\n", ""),
                        "profiles.cex_ticks.source.remote_root", 5, 7, "required key is missing"),
                Arguments.of("source missing", VALID.replace(VALID.substring(VALID.indexOf("      source:"), VALID.indexOf("      local_subdir")), ""),
                        "profiles.cex_ticks.source", 4, 5, "required section is missing"),
                Arguments.of("local_subdir missing", VALID.replace("      local_subdir: cex_ticks\n", ""),
                        "profiles.cex_ticks.local_subdir", 4, 5, "required key is missing"),
                Arguments.of("unknown key with suggestion", VALID.replace("user: ubuntu", "user: ubuntu\n        prot: 22"),
                        "profiles.cex_ticks.source.prot", 9, 9, "unknown key \"prot\"; did you mean \"port\"?"),
                Arguments.of("unknown key without suggestion", VALID.replace("user: ubuntu", "user: ubuntu\n        colour: red"),
                        "profiles.cex_ticks.source.colour", 9, 9, "expected one of: type, host, port, user, ssh_key, ssh_key_passphrase_env, known_hosts, host_key_policy, remote_root"),
                Arguments.of("local_subdir absolute", VALID.replace("local_subdir: cex_ticks", "local_subdir: /abs"),
                        "profiles.cex_ticks.local_subdir", 10, 21, "must be relative to root_dir"),
                Arguments.of("local_subdir with ..", VALID.replace("local_subdir: cex_ticks", "local_subdir: a/../../b"),
                        "profiles.cex_ticks.local_subdir", 10, 21, "must not contain \"..\""),
                Arguments.of("local_subdir shared", VALID + VALID.substring(VALID.indexOf("    cex_ticks:")).replace("cex_ticks:", "other:"),
                        "profiles.other.local_subdir", 17, 21, "overlaps profile cex_ticks"),
                Arguments.of("local_subdir nested", VALID + VALID.substring(VALID.indexOf("    cex_ticks:"))
                                .replace("cex_ticks:", "other:").replace("local_subdir: cex_ticks", "local_subdir: cex_ticks/inner"),
                        "profiles.other.local_subdir", 17, 21, "overlaps profile cex_ticks"),
                Arguments.of("local_subdir is the checkpoint dir", VALID.replace("local_subdir: cex_ticks", "local_subdir: .checkpoints"),
                        "profiles.cex_ticks.local_subdir", 10, 21, "overlaps checkpoint_dir"),
                Arguments.of("metrics_file empty", VALID.replace("root_dir: /data/lake", "root_dir: /data/lake\n  metrics_file: \"\""),
                        "metrics_file", 3, 17, "must not be empty"),
                Arguments.of("metrics_file inside a profile", VALID.replace("root_dir: /data/lake", "root_dir: /data/lake\n  metrics_file: /data/lake/cex_ticks/m.prom"),
                        "metrics_file", 3, 17, "is inside profile cex_ticks's directory"),
                Arguments.of("parquet_patterns not a list", VALID + "      parquet_patterns: \"*.parquet\"\n",
                        "profiles.cex_ticks.parquet_patterns", 11, 25, "must be a list of file patterns"),
                Arguments.of("parquet_patterns with an empty pattern", VALID + "      parquet_patterns: [\"\"]\n",
                        "profiles.cex_ticks.parquet_patterns", 11, 25, "must not be empty"),
                Arguments.of("held_back_warning_hours negative", VALID + "      held_back_warning_hours: -1\n",
                        "profiles.cex_ticks.held_back_warning_hours", 11, 32, "must be a whole number of hours, 0 or more"),
                Arguments.of("retention negative", VALID + "      retention_days: -1\n",
                        "profiles.cex_ticks.retention_days", 11, 23, "must be a whole number of days, 0 or more (0 keeps data forever) (got -1)"),
                Arguments.of("retention not a number", VALID + "      retention_days: thirty\n",
                        "profiles.cex_ticks.retention_days", 11, 23, "(got \"thirty\")"),
                Arguments.of("enabled not a boolean", VALID + "      enabled: yes\n",
                        "profiles.cex_ticks.enabled", 11, 16, "must be true or false (got \"yes\")"),
                Arguments.of("unsafe profile name", VALID.replace("cex_ticks:", "\"cex ticks\":"),
                        "profiles.cex ticks", 4, 5, "must use only letters, digits"),
                Arguments.of("unknown host key policy", VALID.replace("user: ubuntu", "user: ubuntu\n        host_key_policy: yes-please"),
                        "profiles.cex_ticks.source.host_key_policy", 9, 26, "must be \"strict\" or \"accept-new\" (got \"yes-please\")"),
                Arguments.of("passphrase given instead of a variable name", VALID.replace("user: ubuntu", "user: ubuntu\n        ssh_key_passphrase_env: hunter 2"),
                        "profiles.cex_ticks.source.ssh_key_passphrase_env", 9, 33, "must be the name of an environment variable"),
                Arguments.of("parallel_files out of range", VALID + "      parallel_files: 0\n",
                        "profiles.cex_ticks.parallel_files", 11, 23, "must be an integer from 1 to 1024 (leave it out to choose by the link's round trip) (got 0)"),
                Arguments.of("reconnect_attempts out of range", VALID + "      reconnect_attempts: 1000\n",
                        "profiles.cex_ticks.reconnect_attempts", 11, 27, "must be an integer from 0 to 100 (got 1000)"),
                Arguments.of("min_file_age_seconds negative", VALID + "      min_file_age_seconds: -5\n",
                        "profiles.cex_ticks.min_file_age_seconds", 11, 29, "must be a whole number of seconds, 0 or more (got -5)"),
                Arguments.of("disk_reserve_mb not a number", VALID + "      disk_reserve_mb: lots\n",
                        "profiles.cex_ticks.disk_reserve_mb", 11, 24, "must be a whole number of MiB, 0 or more (got \"lots\")"),
                Arguments.of("allow_empty_remote not a boolean", VALID + "      allow_empty_remote: maybe\n",
                        "profiles.cex_ticks.allow_empty_remote", 11, 27, "must be true or false (got \"maybe\")"),
                Arguments.of("delete_mode unknown", VALID + "      delete_mode: purge\n",
                        "profiles.cex_ticks.delete_mode", 11, 20, "must be \"retention\" (keep the days the collector purged"
                                + " until retention expires them) or \"mirror\" (delete whatever the remote no longer has) (got \"purge\")"),
                Arguments.of("max_delete_percent out of range", VALID + "      max_delete_percent: 150\n",
                        "profiles.cex_ticks.max_delete_percent", 11, 27, "must be a whole percentage from 0 to 100 (100 lets"
                                + " --delete remove any share) (got 150)"),
                Arguments.of("checkpoint_file inside a profile", VALID + "      checkpoint_file: /data/lake/cex_ticks/cp.json\n",
                        "profiles.cex_ticks.checkpoint_file", 11, 24, "/data/lake/cex_ticks/cp.json is inside profile cex_ticks's"
                                + " directory /data/lake/cex_ticks, where its --delete or cleanup could remove it"),
                Arguments.of("unsupported rsync flag", VALID + "      rsync_args: \"-az --checksum\"\n",
                        "profiles.cex_ticks.rsync_args", 11, 19, "unsupported flag \"--checksum\"; supported: -a"),
                Arguments.of("wrong top-level key", VALID.replace("data_lake:", "datalake:"),
                        "datalake", 1, 1, "unknown top-level key \"datalake\"; did you mean \"data_lake\"?"),
                Arguments.of("duplicate key", VALID.replace("user: ubuntu", "user: ubuntu\n        user: root"),
                        "profiles.cex_ticks.source.user", 9, 9, "duplicate key \"user\" (first defined on line 8)"),
                Arguments.of("duplicate profile", VALID + VALID.substring(VALID.indexOf("    cex_ticks:")),
                        "profiles.cex_ticks", 11, 5, "duplicate key \"cex_ticks\" (first defined on line 4)"),
                Arguments.of("tab in indentation", VALID.replace("        user: ubuntu", "\tuser: ubuntu"),
                        "", 8, 1, "tab character in indentation"),
                Arguments.of("list where a map belongs", VALID.replace("      source:\n", "      source:\n        - a\n").replace(
                                VALID.substring(VALID.indexOf("        type"), VALID.indexOf("      local_subdir")), ""),
                        "profiles.cex_ticks.source", 6, 9, "must be a mapping (got a list)"),
                Arguments.of("no profiles", "data_lake:\n  root_dir: /x\n  profiles: {}\n",
                        "profiles", 3, 3, "at least one profile is required"),
                Arguments.of("empty file", "\n# only a comment\n", "", 0, 0, "the file is empty"),
                Arguments.of("top level is a list", "- a\n- b\n", "", 1, 1, "must be a mapping with a top-level data_lake: key (got a list)"),
                Arguments.of("syntax error", "data_lake:\n  root_dir: [unclosed\n", "", 3, 1, "YAML syntax error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidConfig_reportsPathAndPosition(String name, String yaml, String path, int line, int column, String message) {
        ConfigReport report = loader().parse(yaml, "config/data_lake.yml");
        assertFalse(report.isValid(), name);
        ConfigProblem p = report.errors().stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + report.errors()));
        assertEquals(line, p.line(), () -> p.format());
        assertEquals(column, p.column(), () -> p.format());
        assertTrue(p.message().contains(message), () -> p.format());
        if (line > 0) {
            assertTrue(p.format().startsWith("config/data_lake.yml:" + line + ":" + column + ": "), p.format());
        }
    }

    @Test
    void portError_matchesTheDocumentedFormat() {
        String yaml = VALID.replace("user: ubuntu", "user: ubuntu\n        port: 66a");
        ConfigProblem p = loader().parse(yaml, "config/data_lake.yml").errors().get(0);
        assertEquals("config/data_lake.yml:9:15: profiles.cex_ticks.source.port: must be an integer from 1 to 65535 (got \"66a\")",
                p.format());
    }

    @Test
    void everyProblem_isReportedAtOnce() {
        String yaml = VALID.replace("type: ssh", "type: ftp").replace("user: ubuntu", "user: ubuntu\n        port: x")
                .replace("local_subdir: cex_ticks", "local_subdir: /abs") + "      retention_days: -3\n      colour: red\n";
        List<String> paths = loader().parse(yaml, "c.yml").errors().stream().map(ConfigProblem::path).collect(Collectors.toList());
        assertEquals(List.of("profiles.cex_ticks.source.port", "profiles.cex_ticks.colour", "profiles.cex_ticks.source.type",
                "profiles.cex_ticks.local_subdir", "profiles.cex_ticks.retention_days"), paths);
    }

    @Test
    void missingFile_namesThePath() {
        ConfigReport report = loader().load(home.resolve("nope.yml"));
        assertEquals(1, report.errors().size());
        assertTrue(report.errors().get(0).message().contains("config file not found: " + home.resolve("nope.yml")));
    }

    @Test
    void aliasBomb_isRefusedQuickly() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        ConfigReport report = loader().parse(yaml.toString(), "bomb.yml");
        assertFalse(report.isValid());
        assertTrue(report.errors().get(0).message().contains("aliases"), report.errors().toString());
    }

    @Test
    void hugeFile_isRefusedBeforeParsing() throws IOException {
        Path big = home.resolve("big.yml");
        Files.writeString(big, "#".repeat(YamlConfigReader.MAX_CODE_POINTS + 1));
        assertTrue(loader().load(big).errors().get(0).message().contains("larger than"));
    }

    @Test
    void warnings_missingRootInplaceAndCompression_butNotTheMissingDefaultKey() {
        ConfigReport report = loader().parse(VALID.replace("/data/lake", home.resolve("absent").toString()), "c.yml");
        assertTrue(report.isValid());
        List<String> messages = report.warnings().stream().map(ConfigProblem::format).collect(Collectors.toList());
        assertEquals(3, messages.size(), messages.toString());
        assertTrue(messages.get(0).startsWith("c.yml:2:13: root_dir: ") && messages.get(0).contains("does not exist yet"), messages.get(0));
        assertTrue(messages.get(1).startsWith("c.yml:4:5: profiles.cex_ticks.rsync_args: --inplace makes files visible"), messages.get(1));
        assertTrue(messages.get(2).startsWith("c.yml:4:5: profiles.cex_ticks.rsync_args: -z compresses the SSH transport")
                && messages.get(2).contains("(the default rsync_args \"-az --partial --inplace\" includes it)"), messages.get(2));
    }

    /** {@link #VALID} in {@code home}, with {@code ssh_key} set and without --inplace, so that only key warnings remain. */
    private String withKey(Path key) {
        return VALID.replace("/data/lake", home.toString()).replace("user: ubuntu", "user: ubuntu\n        ssh_key: " + key)
                + "      rsync_args: -a\n";
    }

    @Test
    void warnings_aKeyThatWasSetAndIsMissing() {
        Path key = home.resolve("no_such_key");
        List<ConfigProblem> warnings = loader().parse(withKey(key), "c.yml").warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("profiles.cex_ticks.source.ssh_key", warnings.get(0).path());
        assertTrue(warnings.get(0).message().contains("key file " + key + " does not exist"), warnings.get(0).message());
    }

    /** The warnings for {@link #withKey} of a key file {@code home/id_test} with {@code permissions}. */
    private List<ConfigProblem> keyWarnings(String permissions) throws IOException {
        Path key = home.resolve("id_test");
        Files.writeString(key, "not really a key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
        return loader().parse(withKey(key), "c.yml").warnings();
    }

    @Test
    void warnings_keyReadableByOthers() throws IOException {
        List<ConfigProblem> warnings = keyWarnings("rw-r--r--");
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("profiles.cex_ticks.source.ssh_key", warnings.get(0).path());
        assertEquals(9, warnings.get(0).line());
        assertTrue(warnings.get(0).message().contains("permissions 0644"), warnings.get(0).message());
        assertTrue(warnings.get(0).message().contains("sync ignores it, as ssh does; run: chmod 600 " + home.resolve("id_test")));
    }

    @Test
    void warnings_keyWritableByGroup_asOpenSshAlsoRefusesIt() throws IOException {
        List<ConfigProblem> warnings = keyWarnings("rw--w----");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).message().contains("permissions 0620"), warnings.get(0).message());
    }

    @Test
    void noWarning_forAKeyOnlyItsOwnerMayRead() throws IOException {
        assertEquals(List.of(), keyWarnings("r--------"));
    }
}
