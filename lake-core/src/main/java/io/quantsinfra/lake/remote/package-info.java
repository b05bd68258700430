/**
 * The seam between the sync engine and a remote source: {@link io.quantsinfra.lake.remote.RemoteFs},
 * the narrow view of a remote file system a sync needs, with its error contract, and
 * {@link io.quantsinfra.lake.remote.RemoteConnector}, which opens one for a profile. The SFTP
 * implementation lives in {@code io.quantsinfra.lake.sftp}.
 */
package io.quantsinfra.lake.remote;
