package io.quantsinfra.lake.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One mirrored source, fully resolved: every default applied, every path absolute. Its files live
 * either in a local directory ({@link #localDir()}) or below a key prefix in an object store
 * ({@link #objectLocation()}), as the lake's {@code root_dir} is; exactly one of the two is present.
 *
 * @param name              the profile's name, safe as a file name
 * @param enabled           whether {@code --all} includes it
 * @param source            the remote side
 * @param localSubdir       the directory relative to the lake's root, as configured; in an object
 *                          store, the key prefix below the root's prefix
 * @param localDir          {@code root_dir/local_subdir} for a local lake, where nothing is ever written
 *                          outside it; empty for a lake in an object store
 * @param objectLocation    the root's location with {@code local_subdir} appended to its prefix, e.g.
 *                          {@code s3://quant-lake/raw/cex_ticks}, for a lake in an object store;
 *                          empty for a local lake
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
 * @param parquetParts      which files are Parquet parts, published only once complete
 */
public record Profile(
        String name,
        boolean enabled,
        SshSource source,
        String localSubdir,
        Optional<Path> localDir,
        Optional<S3Location> objectLocation,
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
        int maxDeletePercent,
        ParquetParts parquetParts) {
    /** The most transfers {@code parallel_files} may set at once, and the most a run has by default. */
    public static final int MOST_PARALLEL_FILES = 1024;

    /** Checks that the profile's files are in exactly one place. */
    public Profile {
        Objects.requireNonNull(localDir, "localDir");
        Objects.requireNonNull(objectLocation, "objectLocation");
        Objects.requireNonNull(parquetParts, "parquetParts");
        if (localDir.isPresent() == objectLocation.isPresent()) {
            throw new IllegalArgumentException("a profile needs exactly one of a local directory and an object"
                    + " store location (got " + localDir + " and " + objectLocation + ")");
        }
    }

    /**
     * Whether the bytes of the file at {@code relativePath} are written to its final name as they
     * arrive: with {@code --inplace}, except for Parquet parts, which are published whole once
     * complete, so that readers never meet one half written.
     */
    public boolean writesInPlace(String relativePath) {
        return rsync.inplace() && !parquetParts.covers(relativePath);
    }

    /**
     * Where the profile's files are, for messages: the local directory, or {@code s3://bucket/prefix}.
     *
     * @return {@link #localDir()} as a string, else {@link #objectLocation()}'s {@link S3Location#toString()}
     */
    public String location() {
        return localDir.map(Path::toString).orElseGet(() -> objectLocation.orElseThrow().toString());
    }
}
