/**
 * The run: one sync of one profile, from lock to final checkpoint. Not an API; {@code DataLake}
 * calls it.
 *
 * <p>{@link io.quantsinfra.lake.transfer.SyncRun} reads top to bottom: lock, connect, list
 * ({@link io.quantsinfra.lake.transfer.RemoteTree} and the store's listing), plan (in
 * {@code .plan}), execute, record. {@link io.quantsinfra.lake.transfer.TransferScheduler} runs
 * the transfers (groups of small files, permits, the publisher pool, durable batches);
 * {@link io.quantsinfra.lake.transfer.Transferer} is one file's life: resume check, copy,
 * changed-during-copy check, seal, publish. {@link io.quantsinfra.lake.transfer.TreeChanges}
 * makes the directories, links, deletions and directory times around them. The remote is
 * reached through {@link io.quantsinfra.lake.transfer.RemoteSession} (reconnects) and the lake
 * through {@code .store}.
 */
package io.quantsinfra.lake.transfer;
