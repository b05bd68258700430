package io.quantsinfra.lake.sshconfig;

import io.quantsinfra.lake.LakeException;
import java.nio.file.Path;

/**
 * Where a connection value came from, as {@code validate} shows it.
 *
 * @param kind  the profile, an ssh_config line, or a default
 * @param where the profile key ({@code source.port}), the {@code file:line} of the ssh_config line,
 *              or what the default is (may be empty)
 */
public record Origin(Kind kind, String where) {
    /** The three places a value can come from, in the order they win. */
    public enum Kind {
        /** A key the profile set. */
        PROFILE,
        /** A line of the host's ssh_config. */
        SSH_CONFIG,
        /** Neither set it: the seed's or OpenSSH's default. */
        DEFAULT
    }

    /** The profile key {@code key}, e.g. {@code source.port}. */
    public static Origin profile(String key) {
        return new Origin(Kind.PROFILE, key);
    }

    /** Line {@code line} of the ssh_config file {@code file}. */
    public static Origin sshConfig(Path file, int line) {
        return new Origin(Kind.SSH_CONFIG, file + ":" + line);
    }

    /** A default, described by {@code what} (may be empty). */
    public static Origin byDefault(String what) {
        return new Origin(Kind.DEFAULT, what);
    }

    /**
     * A configuration error at this ssh_config line: the message starts with its {@code file:line}.
     */
    LakeException error(String message, String hint) {
        return new LakeException(LakeException.Kind.CONFIG, where, where + ": " + message, hint
                + " (a profile may name another ssh_config file with source.ssh_config, or none)");
    }

    /** {@code profile (source.port)}, {@code ssh_config /home/u/.ssh/config:12} or {@code default}. */
    @Override
    public String toString() {
        return switch (kind) {
            case PROFILE -> "profile (" + where + ")";
            case SSH_CONFIG -> "ssh_config " + where;
            case DEFAULT -> where.isEmpty() ? "default" : "default (" + where + ")";
        };
    }
}
