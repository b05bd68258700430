package io.quantsinfra.lake.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What to do with a host whose key is not in known_hosts. A changed key is always refused. */
public enum HostKeyPolicy {
    /** Refuse unknown hosts (the default, like OpenSSH {@code StrictHostKeyChecking=yes}). */
    STRICT,
    /** Record an unknown host's key on first contact, then behave as {@link #STRICT}. */
    ACCEPT_NEW;

    /** The spelling used in the config file: {@code strict} or {@code accept-new}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The policy spelled {@code name} in a config file. */
    static Optional<HostKeyPolicy> fromConfig(String name) {
        return Arrays.stream(values()).filter(p -> p.configName().equals(name)).findFirst();
    }
}
