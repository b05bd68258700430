package io.quantsinfra.lake.config;

import java.nio.file.Path;

/**
 * One mirrored source, fully resolved: every default applied, every path absolute.
 *
 * @param name           the profile's name, safe as a file name
 * @param enabled        whether {@code --all} includes it
 * @param source         the remote side
 * @param localSubdir    the local directory relative to the lake's root, as configured
 * @param localDir       {@code root_dir/local_subdir}; nothing is ever written outside it
 * @param retentionDays  days of data kept locally; 0 keeps data forever
 * @param rsyncArgs      the {@code rsync_args} string as configured
 * @param rsync          the typed form of {@code rsyncArgs}
 * @param checkpointFile where this profile's checkpoint is stored
 */
public record Profile(
        String name,
        boolean enabled,
        SshSource source,
        String localSubdir,
        Path localDir,
        int retentionDays,
        String rsyncArgs,
        RsyncOptions rsync,
        Path checkpointFile) {
}
