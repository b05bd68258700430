package io.quantsinfra.lake.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration as written, before defaults: every field may be absent ({@code null}).
 * The YAML reader's checked tree is bound into these records by {@link #lake}, by hand: Jackson's
 * data binding would add its mapper and the annotations' reflection to every run's start-up,
 * for four records. The code builder fills them directly. Both then go through
 * {@link ConfigResolver}, so the two ways in share every rule and default.
 */
final class ConfigSpec {
    private ConfigSpec() {
    }

    /** Binds a {@code data_lake} tree whose keys and value types the YAML reader has checked against {@link ConfigSchema}. */
    static Lake lake(JsonNode n) {
        LinkedHashMap<String, ProfileSpec> profiles = null;
        JsonNode p = n.get("profiles");
        if (p != null) {
            LinkedHashMap<String, ProfileSpec> all = new LinkedHashMap<>();
            p.fields().forEachRemaining(e -> all.put(e.getKey(), profile(e.getValue())));
            profiles = all;
        }
        JsonNode o = n.get("object_store");
        return new Lake(text(n, "root_dir"), text(n, "checkpoint_dir"), text(n, "metrics_file"), profiles,
                o == null ? null : new ObjectStore(text(o, "endpoint"), text(o, "region"), bool(o, "path_style")));
    }

    private static ProfileSpec profile(JsonNode n) {
        JsonNode s = n.get("source");
        return new ProfileSpec(bool(n, "enabled"), s == null ? null : source(s), text(n, "local_subdir"),
                integer(n, "retention_days"), text(n, "rsync_args"), text(n, "checkpoint_file"),
                integer(n, "min_file_age_seconds"), bool(n, "allow_empty_remote"), integer(n, "parallel_files"),
                integer(n, "reconnect_attempts"), integer(n, "disk_reserve_mb"), text(n, "timezone"),
                integer(n, "sftp_channels"), integer(n, "read_ahead"), text(n, "delete_mode"),
                integer(n, "max_delete_percent"), strings(n, "parquet_patterns"), integer(n, "held_back_warning_hours"));
    }

    private static Source source(JsonNode n) {
        return new Source(text(n, "type"), text(n, "host"), integer(n, "port"), text(n, "user"), text(n, "ssh_key"),
                text(n, "ssh_key_passphrase_env"), text(n, "known_hosts"), text(n, "host_key_policy"),
                text(n, "remote_root"), text(n, "ssh_config"));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null ? null : v.textValue();
    }

    private static List<String> strings(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.textValue()));
        return out;
    }

    private static Integer integer(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null ? null : v.intValue();
    }

    private static Boolean bool(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null ? null : v.booleanValue();
    }

    /** The {@code data_lake} section. */
    record Lake(
            String rootDir,
            String checkpointDir,
            String metricsFile,
            LinkedHashMap<String, ProfileSpec> profiles,
            ObjectStore objectStore) {
        Lake {
            profiles = profiles == null ? null : new LinkedHashMap<>(profiles);
        }

        Map<String, ProfileSpec> profilesOrEmpty() {
            return profiles == null ? Map.of() : profiles;
        }
    }

    /** The {@code object_store} section. */
    record ObjectStore(String endpoint, String region, Boolean pathStyle) {
    }

    /** One entry under {@code profiles}. */
    record ProfileSpec(
            Boolean enabled,
            Source source,
            String localSubdir,
            Integer retentionDays,
            String rsyncArgs,
            String checkpointFile,
            Integer minFileAgeSeconds,
            Boolean allowEmptyRemote,
            Integer parallelFiles,
            Integer reconnectAttempts,
            Integer diskReserveMb,
            String timezone,
            Integer sftpChannels,
            Integer readAhead,
            String deleteMode,
            Integer maxDeletePercent,
            List<String> parquetPatterns,
            Integer heldBackWarningHours) {
    }

    /** A profile's {@code source} section. */
    record Source(
            String type,
            String host,
            Integer port,
            String user,
            String sshKey,
            String sshKeyPassphraseEnv,
            String knownHosts,
            String hostKeyPolicy,
            String remoteRoot,
            String sshConfig) {
    }
}
