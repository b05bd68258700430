package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a test needs to point a client at an SSH server it started: its address, the user and client key to log
 * in with, a known_hosts file that trusts it, and the directory it serves. {@link SftpTestServer} and
 * {@link OpenSshServer} are both one, so that a test can be written once and run against either.
 */
public interface SshTestServer extends AutoCloseable {

    /** {@return the address the server listens on: {@code "127.0.0.1"}} */
    String host();

    /** {@return the port the server listens on, also after it stopped} */
    int port();

    /** {@return the user name a client logs in with} */
    String user();

    /** {@return the client's private key file, unencrypted, in OpenSSH format} */
    Path clientKeyFile();

    /** {@return a known_hosts file that lists the server's first host key for {@code [127.0.0.1]:port}} */
    Path knownHostsFile();

    /** {@return the local directory the server serves, absolute} */
    Path servedRoot();

    /**
     * Returns the remote path under which a client sees {@link #servedRoot()}, the value for a profile's
     * {@code remote_root}: the embedded server serves its root as {@code /}, OpenSSH the whole machine.
     *
     * @return {@code "/"}, or the absolute path of the served root
     */
    String remoteRoot();

    /**
     * Stops the server.
     *
     * @throws IOException if what the server wrote cannot be deleted
     */
    @Override
    void close() throws IOException;
}
