package io.quantsinfra.lake.config;

import java.nio.file.Path;

/**
 * One mirrored source, fully resolved: every default applied, every path absolute.
 *
 * @param name              the profile's name, safe as a file name
 * @param enabled           whether {@code --all} includes it
 * @param source            the remote side
 * @param localSubdir       the local directory relative to the lake's root, as configured
 * @param localDir          {@code root_dir/local_subdir}; nothing is ever written outside it
 * @param retentionDays     days of data kept locally; 0 keeps data forever
 * @param rsyncArgs         the {@code rsync_args} string as configured
 * @param rsync             the typed form of {@code rsyncArgs}
 * @param checkpointFile    where this profile's checkpoint is stored
 * @param minFileAgeSeconds remote files modified less than this long ago are left for the next run
 * @param allowEmptyRemote  whether {@code --delete} may empty the local tree when the remote holds no files
 * @param parallelFiles     how many files are transferred at once; 0 chooses by the link's round trip
 * @param reconnectAttempts how many times a dropped connection is re-established within one run
 * @param diskReserveBytes  free space a sync leaves untouched on the local file store
 * @param timezone          the zone "today" is taken in for the retention window
 * @param sftpChannels      SFTP sessions opened on the one SSH connection
 * @param readAhead         READ requests kept in flight per file
 * @param deleteMode        how {@code --delete} treats dated directories the collector purged
 * @param maxDeletePercent  the largest share of the local files {@code --delete} considers that one
 *                          run may delete; above it nothing is deleted (100 allows any share)
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
        Path checkpointFile,
        int minFileAgeSeconds,
        boolean allowEmptyRemote,
        int parallelFiles,
        int reconnectAttempts,
        long diskReserveBytes,
        java.time.ZoneId timezone,
        int sftpChannels,
        int readAhead,
        DeleteMode deleteMode,
        int maxDeletePercent) {
}
