package io.quantsinfra.lake.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@code --delete} treats a dated directory the remote no longer has. Collectors have small
 * disks and purge their oldest days; the lake keeps its own retention window.
 */
public enum DeleteMode {
    /**
     * The default: deletions are mirrored inside the window the remote still covers (files gone
     * from a dated directory the remote still has, and dated directories newer than the remote's
     * oldest one). A dated directory older than everything the remote holds is the collector's
     * purge: it stays until the lake's own retention expires it. Undated names keep rsync's meaning.
     */
    RETENTION,
    /** rsync's meaning for every name: whatever the remote no longer has is deleted. */
    MIRROR;

    /** The spelling used in the config file: {@code retention} or {@code mirror}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode spelled {@code name} in a config file. */
    static Optional<DeleteMode> fromConfig(String name) {
        return Arrays.stream(values()).filter(m -> m.configName().equals(name)).findFirst();
    }
}
