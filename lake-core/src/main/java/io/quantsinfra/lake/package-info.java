/**
 * lake-core's API: mirror collectors' Parquet part files into a local lake.
 *
 * <p>Most users need {@link io.quantsinfra.lake.DataLake} (sync, stats, cleanup, checkRemote),
 * {@link io.quantsinfra.lake.SyncOptions} (clock, environment, cancellation, free-space probe),
 * {@link io.quantsinfra.lake.SyncListener} (progress, warnings), the reports it returns
 * ({@link io.quantsinfra.lake.SyncReport} and its {@link io.quantsinfra.lake.SyncPlan},
 * {@link io.quantsinfra.lake.CleanupReport}, {@link io.quantsinfra.lake.Stats},
 * {@link io.quantsinfra.lake.Checkpoint}) and the one error type,
 * {@link io.quantsinfra.lake.LakeException}, whose kind tells the failure class. The
 * configuration is in {@code io.quantsinfra.lake.config}.
 *
 * <p>Below it: {@code .plan} makes the plan (pure), {@code .transfer} runs it (the sync's
 * lifecycle, the scheduler, one file's life), {@code .store} is where files are staged and
 * published (the local lake), {@code .remote} is the seam to a source and {@code .sftp} its SFTP
 * implementation (the only place SSH lives), {@code .durability} makes files durable before
 * they are published, {@code .state} keeps the checkpoint, lock and metrics, and
 * {@code .retention} the window, cleanup and stats. Of those, only the seams are API:
 * {@code .remote}'s {@code RemoteConnector} and {@code RemoteFs}, and {@code .store}'s
 * {@code LakeStoreFactory}, {@code LakeStore} and {@code StagedFile}, which
 * {@link io.quantsinfra.lake.DataLake#DataLake(io.quantsinfra.lake.config.DataLakeConfig,
 * io.quantsinfra.lake.remote.RemoteConnector, io.quantsinfra.lake.store.LakeStoreFactory)} takes.
 */
package io.quantsinfra.lake;
