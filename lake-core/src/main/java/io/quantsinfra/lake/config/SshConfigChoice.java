package io.quantsinfra.lake.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which OpenSSH client configuration ({@code ssh_config}) a profile reads for its host: the
 * user's own {@code ~/.ssh/config} (the default, skipped when it does not exist), a file the
 * profile names ({@code source.ssh_config}, for cron and systemd, where {@code HOME} may differ),
 * or none ({@code source.ssh_config: none}).
 *
 * @param file    the file the profile names; empty for the user's own file, and for none
 * @param enabled whether a file is read at all
 */
public record SshConfigChoice(Optional<Path> file, boolean enabled) {
    /** The user's own {@code ~/.ssh/config}, under the {@code HOME} of the run's environment. */
    public static final SshConfigChoice USER_FILE = new SshConfigChoice(Optional.empty(), true);
    /** No ssh_config is read. */
    public static final SshConfigChoice NONE = new SshConfigChoice(Optional.empty(), false);
    /** The value of {@code source.ssh_config} that disables it, as {@code ssh -F none} does. */
    public static final String NONE_VALUE = "none";

    /** Checks that a named file comes only with {@code enabled}. */
    public SshConfigChoice {
        Objects.requireNonNull(file, "file");
        if (file.isPresent() && !enabled) {
            throw new IllegalArgumentException("a named ssh_config file is read");
        }
    }

    /** The file {@code path}, which must exist when a connection is made. */
    public static SshConfigChoice named(Path path) {
        return new SshConfigChoice(Optional.of(path), true);
    }

    /** Whether this is the user's own file, which may be missing. */
    public boolean isUserFile() {
        return enabled && file.isEmpty();
    }

    /** The file to read, with the user's own under {@code home}; empty for none. */
    public Optional<Path> path(Path home) {
        return !enabled ? Optional.empty() : Optional.of(file.orElseGet(() -> home.resolve(".ssh/config")));
    }
}
