package io.quantsinfra.lake.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration as written, before defaults: every field may be absent ({@code null}).
 * YAML is bound into these records by Jackson; the code builder fills them directly. Both then
 * go through {@link ConfigResolver}, so the two ways in share every rule and default.
 */
final class ConfigSpec {
    private ConfigSpec() {
    }

    /** The {@code data_lake} section. */
    record Lake(
            @JsonProperty("root_dir") String rootDir,
            @JsonProperty("checkpoint_dir") String checkpointDir,
            @JsonProperty("metrics_file") String metricsFile,
            @JsonProperty("profiles") LinkedHashMap<String, ProfileSpec> profiles) {
        Lake {
            profiles = profiles == null ? null : new LinkedHashMap<>(profiles);
        }

        Map<String, ProfileSpec> profilesOrEmpty() {
            return profiles == null ? Map.of() : profiles;
        }
    }

    /** One entry under {@code profiles}. */
    record ProfileSpec(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("source") Source source,
            @JsonProperty("local_subdir") String localSubdir,
            @JsonProperty("retention_days") Integer retentionDays,
            @JsonProperty("rsync_args") String rsyncArgs,
            @JsonProperty("checkpoint_file") String checkpointFile,
            @JsonProperty("min_file_age_seconds") Integer minFileAgeSeconds,
            @JsonProperty("allow_empty_remote") Boolean allowEmptyRemote,
            @JsonProperty("parallel_files") Integer parallelFiles,
            @JsonProperty("reconnect_attempts") Integer reconnectAttempts,
            @JsonProperty("disk_reserve_mb") Integer diskReserveMb,
            @JsonProperty("timezone") String timezone,
            @JsonProperty("sftp_channels") Integer sftpChannels,
            @JsonProperty("read_ahead") Integer readAhead) {
    }

    /** A profile's {@code source} section. */
    record Source(
            @JsonProperty("type") String type,
            @JsonProperty("host") String host,
            @JsonProperty("port") Integer port,
            @JsonProperty("user") String user,
            @JsonProperty("ssh_key") String sshKey,
            @JsonProperty("ssh_key_passphrase_env") String sshKeyPassphraseEnv,
            @JsonProperty("known_hosts") String knownHosts,
            @JsonProperty("host_key_policy") String hostKeyPolicy,
            @JsonProperty("remote_root") String remoteRoot) {
    }
}
