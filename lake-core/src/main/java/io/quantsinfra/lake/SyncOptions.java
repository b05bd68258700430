package io.quantsinfra.lake;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * How to run one sync. Start from {@link #defaults()} and change what you need.
 *
 * @param dryRun           plan only: print what would happen and change nothing
 * @param clock            the time source, for checkpoints and file ages
 * @param env              environment variables, for a key passphrase named in the config
 * @param diskSpace        how free space is measured before the first byte
 * @param reconnectBackoff the first wait before reconnecting; it doubles per attempt, up to 30 s
 * @param cancellation     raised to stop the run early
 * @param cleanup          whether a sync runs retention cleanup after it finishes
 */
public record SyncOptions(boolean dryRun, Clock clock, Map<String, String> env, DiskSpace diskSpace,
                          Duration reconnectBackoff, Cancellation cancellation, boolean cleanup) {

    /** Copies the environment so the record stays immutable. */
    public SyncOptions {
        env = Map.copyOf(env);
    }

    /** A real run: system clock, this process's environment, the real file store, 1 s first backoff. */
    public static SyncOptions defaults() {
        return new SyncOptions(false, Clock.systemUTC(), System.getenv(), DiskSpace.FILE_STORE, Duration.ofSeconds(1),
                new Cancellation(), true);
    }

    /** The same options with {@code dryRun} set. */
    public SyncOptions withDryRun(boolean value) {
        return new SyncOptions(value, clock, env, diskSpace, reconnectBackoff, cancellation, cleanup);
    }

    /** The same options with another clock. */
    public SyncOptions withClock(Clock value) {
        return new SyncOptions(dryRun, value, env, diskSpace, reconnectBackoff, cancellation, cleanup);
    }

    /** The same options with another environment. */
    public SyncOptions withEnv(Map<String, String> value) {
        return new SyncOptions(dryRun, clock, value, diskSpace, reconnectBackoff, cancellation, cleanup);
    }

    /** The same options with another free-space probe. */
    public SyncOptions withDiskSpace(DiskSpace value) {
        return new SyncOptions(dryRun, clock, env, value, reconnectBackoff, cancellation, cleanup);
    }

    /** The same options with another first reconnect wait. */
    public SyncOptions withReconnectBackoff(Duration value) {
        return new SyncOptions(dryRun, clock, env, diskSpace, value, cancellation, cleanup);
    }

    /** The same options with retention cleanup after the sync switched on or off. */
    public SyncOptions withCleanup(boolean value) {
        return new SyncOptions(dryRun, clock, env, diskSpace, reconnectBackoff, cancellation, value);
    }

    /** The same options with another cancellation flag. */
    public SyncOptions withCancellation(Cancellation value) {
        return new SyncOptions(dryRun, clock, env, diskSpace, reconnectBackoff, value, cleanup);
    }
}
