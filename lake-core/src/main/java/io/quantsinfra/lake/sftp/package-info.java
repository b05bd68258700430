/**
 * SFTP over SSH, the remote side lake-core speaks: connecting and authenticating with sshj
 * ({@link io.quantsinfra.lake.sftp.SftpConnector}), checking host keys as OpenSSH does, one
 * connection shared by the profiles that reach a host the same way at once, and a pipelined SFTP
 * client that batches requests and cuts replies straight from the channel. Every sshj and
 * BouncyCastle import of lake-core lives here; the engine sees only
 * {@link io.quantsinfra.lake.remote.RemoteFs}.
 */
package io.quantsinfra.lake.sftp;
