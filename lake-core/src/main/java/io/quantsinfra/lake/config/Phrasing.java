package io.quantsinfra.lake.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Who wrote a configuration, so that a hint names a setting as its writer would: the YAML key
 * ({@code set source.ssh_key}) or the builder's method ({@code set .sshKey(...)}). Hints are
 * written once, for YAML; {@link #hint} says them in the builder's terms.
 */
public enum Phrasing {
    /** A YAML file, read by {@link ConfigLoader}. */
    YAML,
    /** Code, through {@link DataLakeConfig#builder}. */
    BUILDER;

    /**
     * A profile's settings as hints name them: {@code source.KEY} for the source's, the snake
     * keys of the profile bare; a value after a colon, e.g. {@code host_key_policy: accept-new}.
     */
    private static final Pattern SETTING = Pattern.compile("\\b(?:source\\.(" + keys(ConfigSchema.SOURCE, false)
            + ")|(" + keys(ConfigSchema.PROFILE, true) + "))\\b(?::\\s?([a-z][a-z0-9-]*))?");
    /** The settings whose values are constants of an enum, by key. */
    private static final Map<String, String> ENUMS = Map.of("host_key_policy", HostKeyPolicy.class.getSimpleName(),
            "delete_mode", DeleteMode.class.getSimpleName());
    private static final List<String> VALIDATE = List.of("run: quants-infra data-lake validate", "quants-infra data-lake validate");

    /** How to give the checkpoint directory a lake in a bucket needs. */
    String setCheckpointDir() {
        return this == YAML ? "set checkpoint_dir, e.g. checkpoint_dir: /var/lib/quants-infra"
                : "call .checkpointDir(...), e.g. .checkpointDir(Path.of(\"/var/lib/quants-infra\"))";
    }

    /**
     * {@code hint}, written for YAML, in this writer's terms: for the builder, each setting
     * becomes its method and the validate command becomes {@code DataLake.checkRemote}.
     */
    public String hint(String hint) {
        if (this == YAML) {
            return hint;
        }
        String out = hint;
        for (String command : VALIDATE) {
            out = out.replace(command, "call DataLake.checkRemote(profile, env)");
        }
        Matcher m = SETTING.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(method(key, m.group(3))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The builder call that sets {@code key}, with {@code value} if one was named. */
    private static String method(String key, String value) {
        if (key.equals("ssh_config") && "none".equals(value)) {
            return ".noSshConfig()";
        }
        String name = camel(key);
        if (value == null) {
            return "." + name + "(...)";
        }
        String type = ENUMS.get(key);
        return type == null ? "." + name + "(\"" + value + "\")"
                : "." + name + "(" + type + "." + value.toUpperCase(Locale.ROOT).replace('-', '_') + ")";
    }

    private static String camel(String key) {
        StringBuilder sb = new StringBuilder();
        for (String part : key.split("_")) {
            sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
    }

    /** The struct's keys, longest first so that none stops short; with {@code snakeOnly}, only those with a '_'. */
    private static String keys(ConfigSchema.Struct struct, boolean snakeOnly) {
        Stream<String> keys = struct.fields().keySet().stream().filter(k -> !snakeOnly || k.contains("_"));
        return keys.sorted((a, b) -> b.length() - a.length()).collect(Collectors.joining("|"));
    }
}
