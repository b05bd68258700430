package io.quantsinfra.lake;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Phrasing;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.retention.Cleanup;
import io.quantsinfra.lake.retention.LakeStats;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.sftp.SftpConnector;
import io.quantsinfra.lake.state.CheckpointStore;
import io.quantsinfra.lake.state.MetricsFile;
import io.quantsinfra.lake.state.ProfileLock;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.LakeStoreFactory;
import io.quantsinfra.lake.store.LocalStore;
import io.quantsinfra.lake.transfer.SyncRun;
import io.quantsinfra.lake.transfer.WorkerPool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The entry point of lake-core: mirrors a profile's remote tree into the local lake.
 *
 * <pre>{@code
 * DataLake lake = new DataLake(ConfigLoader.forCurrentUser().load(Path.of("config/data_lake.yml")).orThrow());
 * SyncReport report = lake.sync("cex_ticks", SyncOptions.defaults(), SyncListener.NONE);
 * }</pre>
 *
 * <p>Instances are thread-safe. Syncs of different profiles may run at once, from as many
 * threads as the caller likes; they share one set of worker threads and, through the
 * connector, one READ memory budget and one connection per host. Two syncs of the same
 * profile never run at once, even from different processes: the second fails with
 * {@link LakeException.Kind#LOCKED}.
 */
public final class DataLake {
    private final DataLakeConfig config;
    private final RemoteConnector connector;
    private final LakeStoreFactory stores;
    private final WorkerPool workers;
    /** Runs that end at once rewrite the metrics file one after the other, the last with every run's outcome. */
    private final Object metricsLock = new Object();

    /**
     * A lake over a resolved configuration, reaching its sources over SFTP ({@link SftpConnector})
     * and keeping each profile's files in its local directory ({@link LocalStore}).
     */
    public DataLake(DataLakeConfig config) {
        this(config, new SftpConnector());
    }

    /**
     * A lake whose sources are reached through {@code connector}: another protocol, or a test's
     * file system in memory.
     */
    public DataLake(DataLakeConfig config, RemoteConnector connector) {
        this(config, connector, LocalStore::new);
    }

    /**
     * A lake whose sources are reached through {@code connector} and whose files are written
     * through the stores that {@code stores} opens, one per profile and run.
     */
    public DataLake(DataLakeConfig config, RemoteConnector connector, LakeStoreFactory stores) {
        this(config, connector, stores, WorkerPool.DAEMONS);
    }

    /**
     * Like {@link #DataLake(DataLakeConfig, RemoteConnector, LakeStoreFactory)}, making every
     * thread of its runs with {@code threads}, e.g. a service's own factory (its daemon flag,
     * context class loader, uncaught-exception handler); the lake names each thread after its
     * profile and role. The threads of the SSH library itself are not among them.
     */
    public DataLake(DataLakeConfig config, RemoteConnector connector, LakeStoreFactory stores, ThreadFactory threads) {
        this.config = config;
        this.connector = connector;
        this.stores = stores;
        this.workers = WorkerPool.create(threads);
    }

    /** The configuration this lake runs with. */
    public DataLakeConfig config() {
        return config;
    }

    /**
     * Loads and initializes, on the calling thread, what the process's first SSH connection needs
     * (sshj's transport, the JCE and the JDK's AES-GCM, X25519 and Ed25519, the logger binding),
     * then the C library calls the local lake's first listing makes.
     * A short-lived process that runs it on a spare thread while it reads its arguments and
     * config connects and plans sooner, since the class loading overlaps with that work; later
     * connections gain nothing.
     * It never fails: what cannot be prepared fails, with its own message, when connecting.
     */
    public static void prepareToConnect() {
        SftpConnector.warmUp();
        LocalStore.warmUp();
    }

    /**
     * Syncs one profile: lists the remote and local trees, plans, transfers, deletes when
     * {@code --delete} is set and it is safe, and records the outcome in the checkpoint. With
     * {@link SyncOptions#dryRun()} it only plans and changes nothing.
     *
     * @return the outcome; its status is success, partial (some files failed or deletion was
     *         refused) or interrupted
     * @throws LakeException when the run cannot go on: config ({@code CONFIG}), network, host key
     *                       or authentication ({@code CONNECTION}), lock held ({@code LOCKED}),
     *                       local storage, or a profile directory that is or passes through a symlink
     *                       ({@code LOCAL_IO}). The checkpoint records the failure.
     */
    public SyncReport sync(String profileName, SyncOptions options, SyncListener listener) {
        Profile profile = config.requireProfile(profileName);
        try (LakeStore lake = stores.open(profile)) {
            return phrased(() -> new SyncRun(lockFile(profile), profile, connector, lake, workers, options, listener,
                    config.metricsFile().isPresent()).run());
        } finally {
            if (!options.dryRun()) {
                writeMetrics(listener);
            }
        }
    }

    /**
     * Runs {@code action}; a failure's hint, written for YAML, is said as the configuration's
     * writer would say it (builder methods for a configuration built in code).
     */
    private <T> T phrased(Supplier<T> action) {
        try {
            return action.get();
        } catch (LakeException e) {
            if (config.phrasing() == Phrasing.YAML || e.hint().isEmpty()) {
                throw e;
            }
            throw e.withHint(config.phrasing().hint(e.hint().get()));
        }
    }

    /**
     * Connects to a profile's source, authenticates, and checks that its remote root is a
     * readable directory. Changes nothing, locally or remotely.
     *
     * @throws LakeException of kind {@code CONNECTION} with the reason and the fix
     */
    public void checkRemote(String profileName, Map<String, String> env) {
        checkRemote(profileName, env, SyncListener.NONE);
    }

    /**
     * Like {@link #checkRemote(String, Map)}, telling {@code listener} the connection's warnings,
     * e.g. a key file ignored because others may read it.
     */
    public void checkRemote(String profileName, Map<String, String> env, SyncListener listener) {
        Profile profile = config.requireProfile(profileName);
        String root = profile.source().remoteRoot();
        phrased(() -> {
            try (RemoteFs fs = connector.connect(profile, env, listener::warning)) {
                RemoteFs.Item item = fs.stat(root);
                if (item.type() != EntryType.DIRECTORY) {
                    throw new IOException("not a directory");
                }
                fs.list(root);
                return null;
            } catch (IOException e) {
                throw new LakeException(LakeException.Kind.CONNECTION, profile.source().where(), "remote_root " + root
                        + " on " + profile.source().where() + " is not a readable directory: " + e.getMessage(),
                        "check source.remote_root and that " + profile.source().user() + " may read it", e);
            }
        });
    }

    /**
     * Deletes the profile's expired dated directories (see {@link Retention}), holding the same
     * lock as a sync, and records the cleanup in the checkpoint. With {@link SyncOptions#dryRun()}
     * it only reports what would go, and takes no lock.
     *
     * @param listener hears warnings: an unreadable checkpoint that was moved aside, a metrics file
     *                 that could not be written
     * @throws LakeException of kind {@code LOCKED} while a sync or another cleanup runs, of kind
     *                       {@code LOCAL_IO} when the profile directory is, or passes through, a symlink
     */
    public CleanupReport cleanup(String profileName, SyncOptions options, SyncListener listener) {
        Profile profile = config.requireProfile(profileName);
        Retention retention = new Retention(profile.retentionDays(), profile.timezone(), options.clock());
        try (LakeStore lake = stores.open(profile)) {
            return phrased(() -> {
                lake.requireSafeRoot();
                return options.dryRun() ? Cleanup.run(profile.name(), lake, retention, true)
                        : cleanup(profile, lake, retention, options, listener);
            });
        }
    }

    /** Deletes the expired directories under the profile's lock and records it. */
    private CleanupReport cleanup(Profile profile, LakeStore lake, Retention retention, SyncOptions options,
                                  SyncListener listener) {
        try (ProfileLock lock = ProfileLock.acquire(lockFile(profile), profile.name(), options.clock());
             LakeStore.Claim claim = lake.claim(options.clock())) {
            CheckpointStore store = new CheckpointStore(profile.checkpointFile(), profile.name(), options.clock());
            CheckpointStore.Loaded loaded = store.load();
            loaded.warning().ifPresent(listener::warning);
            CleanupReport report = Cleanup.run(profile.name(), lake, retention, false);
            Checkpoint cleaned = loaded.checkpoint().cleanedUp(options.clock().instant(), report.expired().size(),
                    report.bytesFreed());
            store.save(config.metricsFile().isPresent()
                    ? LakeStats.withLocalLake(cleaned, profile, lake, LakeStats.rowCache(profile), listener) : cleaned);
            return report;
        } finally {
            writeMetrics(listener);
        }
    }

    /**
     * Rewrites {@code metrics_file}, when one is configured, from every profile's checkpoint,
     * which also holds what its local lake held after its last run: no profile directory is
     * walked here. A failure is only a warning: the run it follows has its own outcome.
     */
    private void writeMetrics(SyncListener listener) {
        config.metricsFile().ifPresent(file -> {
            synchronized (metricsLock) {
                try {
                    MetricsFile.write(file, config.profiles().keySet().stream().map(this::checkpoint).toList());
                } catch (LakeException e) {
                    listener.warning("metrics not written: " + e.getMessage());
                }
            }
        });
    }

    /** The lock file a profile's runs take. */
    private Path lockFile(Profile profile) {
        return ProfileLock.fileOf(config.checkpointDir(), profile.name());
    }

    /**
     * What the profile's part of the lake holds: size, file count, date range, last sync, partial
     * and expired data. One pass over metadata; never contacts the remote host, changes nothing.
     */
    public Stats stats(String profileName, java.time.Clock clock) {
        Profile profile = config.requireProfile(profileName);
        try (LakeStore lake = stores.open(profile)) {
            return phrased(() -> LakeStats.of(profile, lake, checkpoint(profileName), new Retention(profile.retentionDays(),
                    profile.timezone(), clock)));
        }
    }

    /** The checkpoint of a profile as stored, without changing anything. */
    public Checkpoint checkpoint(String profileName) {
        Profile profile = config.requireProfile(profileName);
        return new CheckpointStore(profile.checkpointFile(), profile.name(), java.time.Clock.systemUTC()).peek().checkpoint();
    }
}
