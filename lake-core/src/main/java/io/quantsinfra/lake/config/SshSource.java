package io.quantsinfra.lake.config;

import java.nio.file.Path;

/**
 * Where a profile's data comes from: an SFTP server reached over SSH.
 *
 * @param host       host name or IP address
 * @param port       SSH port
 * @param user       login name
 * @param sshKey     private key file, with {@code ~} expanded
 * @param remoteRoot directory on the host whose tree is mirrored
 */
public record SshSource(String host, int port, String user, Path sshKey, String remoteRoot) {
    /** {@code user@host:port:remote_root}, as shown by {@code validate}. */
    public String describe() {
        return user + "@" + host + ":" + port + ":" + remoteRoot;
    }
}
