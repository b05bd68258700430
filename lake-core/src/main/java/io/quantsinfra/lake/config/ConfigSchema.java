package io.quantsinfra.lake.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of the YAML file: which keys exist where, and the type of each value. The YAML
 * reader checks a document against it; {@link ConfigResolver} then applies the rules on values.
 */
final class ConfigSchema {
    private ConfigSchema() {
    }

    /** A value's expected shape. */
    sealed interface Shape permits Scalar, Strings, Struct, Dict {
    }

    /** The scalar types a config value can have. */
    enum ScalarType { STRING, INTEGER, BOOLEAN }

    /**
     * A scalar value.
     *
     * @param type the type
     * @param rule what a valid value looks like, for messages
     */
    record Scalar(ScalarType type, String rule) implements Shape {
    }

    /**
     * A list of strings, possibly empty.
     *
     * @param rule what a valid value looks like, for messages
     */
    record Strings(String rule) implements Shape {
    }

    /** A mapping with fixed keys. */
    record Struct(Map<String, Shape> fields) implements Shape {
    }

    /** A mapping whose keys the user names (profiles), each value of one shape. */
    record Dict(Shape values) implements Shape {
    }

    private static final Scalar STRING = new Scalar(ScalarType.STRING, "must be a string");

    static final Struct SOURCE = struct(
            "type", STRING,
            "host", STRING,
            "port", new Scalar(ScalarType.INTEGER, ConfigResolver.PORT_RULE),
            "user", STRING,
            "ssh_key", STRING,
            "ssh_key_passphrase_env", STRING,
            "known_hosts", STRING,
            "host_key_policy", STRING,
            "remote_root", STRING,
            "ssh_config", STRING);

    static final Struct PROFILE = struct(
            "enabled", new Scalar(ScalarType.BOOLEAN, ConfigResolver.BOOLEAN_RULE),
            "source", SOURCE,
            "local_subdir", STRING,
            "retention_days", new Scalar(ScalarType.INTEGER, ConfigResolver.RETENTION_RULE),
            "rsync_args", STRING,
            "checkpoint_file", STRING,
            "min_file_age_seconds", new Scalar(ScalarType.INTEGER, ConfigResolver.MIN_AGE_RULE),
            "allow_empty_remote", new Scalar(ScalarType.BOOLEAN, ConfigResolver.BOOLEAN_RULE),
            "parallel_files", new Scalar(ScalarType.INTEGER, ConfigResolver.PARALLEL_RULE),
            "reconnect_attempts", new Scalar(ScalarType.INTEGER, ConfigResolver.RECONNECT_RULE),
            "disk_reserve_mb", new Scalar(ScalarType.INTEGER, ConfigResolver.RESERVE_RULE),
            "timezone", STRING,
            "sftp_channels", new Scalar(ScalarType.INTEGER, ConfigResolver.CHANNELS_RULE),
            "read_ahead", new Scalar(ScalarType.INTEGER, ConfigResolver.READ_AHEAD_RULE),
            "delete_mode", STRING,
            "max_delete_percent", new Scalar(ScalarType.INTEGER, ConfigResolver.MAX_DELETE_PERCENT_RULE),
            "parquet_patterns", new Strings(ConfigResolver.PARQUET_PATTERNS_RULE),
            "held_back_warning_hours", new Scalar(ScalarType.INTEGER, ConfigResolver.HELD_BACK_HOURS_RULE));

    static final Struct OBJECT_STORE = struct(
            "endpoint", STRING,
            "region", STRING,
            "path_style", new Scalar(ScalarType.BOOLEAN, ConfigResolver.BOOLEAN_RULE));

    static final Struct DATA_LAKE = struct(
            "root_dir", STRING,
            "checkpoint_dir", STRING,
            "metrics_file", STRING,
            "object_store", OBJECT_STORE,
            "profiles", new Dict(PROFILE));

    /** The document: one top-level key. */
    static final Struct DOCUMENT = struct("data_lake", DATA_LAKE);

    private static Struct struct(Object... keysAndShapes) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndShapes.length; i += 2) {
            fields.put((String) keysAndShapes[i], (Shape) keysAndShapes[i + 1]);
        }
        return new Struct(java.util.Collections.unmodifiableMap(fields));
    }
}
