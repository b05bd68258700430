package io.quantsinfra.lake.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The typed form of a profile's {@code rsync_args}: what our SFTP engine does, with rsync's
 * meaning for each flag. Build it with {@link RsyncArgs#parse(String)}.
 *
 * @param recursive           {@code -r}: descend into directories
 * @param preserveTimes       {@code -t}: set each local file's mtime from the remote one
 * @param preservePermissions {@code -p}: set each local file's permission bits from the remote one
 * @param symlinks            {@code -l}: recreate remote symlinks whose target stays inside the
 *                            profile directory (others are skipped with a warning)
 * @param compress            {@code -z}: SSH transport compression
 * @param partial             {@code --partial}: keep the bytes of an interrupted file and resume it
 * @param partialDir          {@code --partial-dir=DIR}: where partial files are kept (implies partial)
 * @param inplace             {@code --inplace}: write straight to the final name
 * @param fsync               {@code --fsync}: sync each file on its own before it is published,
 *                            instead of small files sharing one syncfs per batch (either way no
 *                            file is published before its bytes are durable)
 * @param delete              {@code --delete}: remove local files that no longer exist remotely
 * @param deleteAfter         {@code --delete-after}: delete only after all transfers (implies delete)
 * @param maxDelete           {@code --max-delete=N}: delete nothing if more than N would go
 * @param bandwidthLimit      {@code --bwlimit=RATE}: bytes per second, absent for no limit
 * @param ioTimeout           {@code --timeout=SECONDS}: fail when no data moves for this long
 * @param connectTimeout      {@code --contimeout=SECONDS}: bound on connecting to the host
 * @param filter              the {@code --include}/{@code --exclude} rules, compiled, in order
 * @param verbosity           {@code -v} count, or -1 for {@code -q}
 */
public record RsyncOptions(
        boolean recursive,
        boolean preserveTimes,
        boolean preservePermissions,
        boolean symlinks,
        boolean compress,
        boolean partial,
        Optional<String> partialDir,
        boolean inplace,
        boolean fsync,
        boolean delete,
        boolean deleteAfter,
        OptionalInt maxDelete,
        OptionalLong bandwidthLimit,
        Optional<Duration> ioTimeout,
        Optional<Duration> connectTimeout,
        PathFilter filter,
        int verbosity) {
}
