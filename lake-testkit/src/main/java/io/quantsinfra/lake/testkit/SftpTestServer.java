package io.quantsinfra.lake.testkit;

import io.quantsinfra.lake.demo.DemoSftpServer;
import io.quantsinfra.lake.demo.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An embedded Apache MINA SSHD server that serves one directory over SFTP, for tests and benchmarks: lake-demo's
 * {@link DemoSftpServer} with fault hooks plugged into its builder.
 *
 * <p>The server listens on {@code 127.0.0.1} on an ephemeral port. Remote path {@code /} is the served root,
 * and absolute remote paths resolve below it. It accepts only public-key authentication of {@link #user()} with
 * a key pair it generates on start and writes, in OpenSSH format, to {@link #clientKeyFile()}. Its host keys
 * (one Ed25519 key unless {@link Builder#hostKeyTypes} says otherwise) live in memory for the lifetime of the
 * object, and {@link #knownHostsFile()} lists the first for {@code [127.0.0.1]:port}. Like OpenSSH 8.8 and later,
 * it neither makes nor accepts SHA-1 {@code ssh-rsa} signatures: RSA keys sign as {@code rsa-sha2-512} or
 * {@code rsa-sha2-256}.
 *
 * <p>Like OpenSSH, the server answers READ requests with up to {@link #MAX_READ_DATA_LENGTH} bytes. Fault hooks
 * ({@link #cutAfterBytes}, {@link #dropAllSessions()}, {@link #kill()}) simulate broken links and dead servers;
 * {@link #injectFiles}, {@link #injectFilesNamedByBytes}, {@link #injectDirectories} and {@link #denyPath}
 * simulate a hostile or misconfigured server.
 */
public final class SftpTestServer implements SshTestServer {

    /** The largest data length the server returns for one SFTP READ (255 KiB, close to OpenSSH's limit). */
    public static final int MAX_READ_DATA_LENGTH = DemoSftpServer.MAX_READ_DATA_LENGTH;

    /** The size of every file added by {@link #injectFiles}. */
    public static final int INJECTED_FILE_SIZE = 4096;

    /** The modification time of every entry added by {@link #injectFiles} or {@link #injectDirectories}. */
    public static final Instant INJECTED_MTIME = Instant.parse("2024-01-01T00:00:00Z");

    private final DemoSftpServer server;
    private final CountDownLatch authenticationGate;
    private final ReadFaults readFaults;
    private final InjectedEntries injectedEntries;
    private final FaultyFileSystemAccessor fileSystemAccessor;

    private SftpTestServer(DemoSftpServer server, CountDownLatch authenticationGate, ReadFaults readFaults,
            InjectedEntries injectedEntries, FaultyFileSystemAccessor fileSystemAccessor) {
        this.server = server;
        this.authenticationGate = authenticationGate;
        this.readFaults = readFaults;
        this.injectedEntries = injectedEntries;
        this.fileSystemAccessor = fileSystemAccessor;
    }

    /**
     * Starts building a server for {@code servedRoot}, which is created if it does not exist.
     *
     * @param servedRoot the local directory that becomes the remote root {@code /}
     * @return a builder with the defaults: a fresh temporary key directory and an Ed25519 client key
     */
    public static Builder builder(Path servedRoot) {
        return new Builder(servedRoot);
    }

    /**
     * Also accepts {@code key} for the user from now on, e.g. an ECDSA or passphrase-protected
     * key a test wrote in another format.
     *
     * @param key the public half of the client's key pair
     */
    public void authorizeKey(PublicKey key) {
        server.authorizeKey(key);
    }

    @Override
    public String host() {
        return server.host();
    }

    /** {@return the ephemeral port the server picked on start, also after it stopped} */
    @Override
    public int port() {
        return server.port();
    }

    /** {@return the only user name the server accepts: {@code "lake"}} */
    @Override
    public String user() {
        return server.user();
    }

    @Override
    public Path clientKeyFile() {
        return server.clientKeyFile();
    }

    /** {@return a known_hosts file with the single entry {@link #knownHostsLine()}} */
    @Override
    public Path knownHostsFile() {
        return server.knownHostsFile();
    }

    /** {@return the directory served as the remote root, absolute and normalized} */
    @Override
    public Path servedRoot() {
        return server.servedRoot();
    }

    /** {@return {@code "/"}: absolute remote paths resolve below the served root} */
    @Override
    public String remoteRoot() {
        return "/";
    }

    /** {@return the first of {@link Builder#hostKeyTypes}: the Ed25519 host key by default} */
    public PublicKey hostKey() {
        return server.hostKey();
    }

    /**
     * Returns the server's public host key of one type.
     *
     * @param type one of the types passed to {@link Builder#hostKeyTypes}
     * @return that host key
     * @throws IllegalArgumentException if the server has no host key of that type
     */
    public PublicKey hostKey(KeyType type) {
        return server.hostKey(type);
    }

    /** {@return the known_hosts line for this server's own address, without a line break} */
    public String knownHostsLine() {
        return server.knownHostsLine();
    }

    /**
     * Returns a known_hosts line binding this server's host key to another address, such as a proxy in front
     * of the server.
     *
     * @param host the host name or address exactly as the client passes it to {@code connect}
     * @param port the port the client connects to; port 22 gives a bare host name
     * @return a line such as {@code [127.0.0.1]:40123 ssh-ed25519 AAAA...}, without a line break
     */
    public String knownHostsLine(String host, int port) {
        return server.knownHostsLine(host, port);
    }

    /**
     * Returns the total number of file bytes the server has read for SFTP READ requests, over all sessions.
     *
     * @return bytes served by READ since the server started
     */
    public long bytesRead() {
        return readFaults.bytesRead();
    }

    /**
     * Arms a one-shot fault: once the server has read at least {@code bytes} bytes (counted from now) of files
     * whose remote path ends with {@code pathSuffix}, it closes that session abruptly and disarms. The READ reply
     * that crosses the threshold is not delivered, so the client receives fewer than {@code bytes} bytes of the
     * file. The server keeps listening.
     *
     * @param pathSuffix the end of the remote path, e.g. a file name or {@code "dir/part_00001.parquet"}
     * @param bytes the threshold, at least 0; 0 cuts on the first non-empty read
     */
    public void cutAfterBytes(String pathSuffix, long bytes) {
        Objects.requireNonNull(pathSuffix, "pathSuffix");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        readFaults.cutAfterBytes(pathSuffix, bytes);
    }

    /**
     * Makes every later listing of {@code remoteDir} return, after its real entries, one regular file per name,
     * each {@link #INJECTED_FILE_SIZE} bytes long and modified at {@link #INJECTED_MTIME}. The names are sent as
     * given, whatever bytes they hold (see {@link HostileNames}); nothing is created in the served tree. A request
     * for the path {@code remoteDir + "/" + name}, exactly as joined, reaches the injected file: STAT describes it
     * and OPEN and READ serve its bytes, a marker naming the entry, and count in {@link #injectedFileOpens()}.
     * Only {@code ""}, {@code "."} and {@code ".."} are listed alone, as their joined paths name real
     * directories.
     *
     * @param remoteDir the absolute remote directory, e.g. {@code "/"} or {@code "/data"}
     * @param names the names to inject; a name injected twice into one directory is listed twice
     * @throws IOException if the injected files cannot be written to their temporary directory
     */
    public void injectFiles(String remoteDir, List<String> names) throws IOException {
        injectedEntries.add(Objects.requireNonNull(remoteDir, "remoteDir"), utf8(names), false);
    }

    /**
     * Like {@link #injectFiles}, but each name is sent as the given bytes, which need not be valid UTF-8, like
     * names written on the server in another encoding (e.g. Latin-1 {@code bad\xff.parquet}). A name that is not
     * valid UTF-8 is only listed: a request's path reaches the server as text, so no request can name it.
     *
     * @param remoteDir the absolute remote directory, e.g. {@code "/"} or {@code "/data"}
     * @param names the names to inject, as the bytes to send
     * @throws IOException if the injected files cannot be written to their temporary directory
     */
    public void injectFilesNamedByBytes(String remoteDir, List<byte[]> names) throws IOException {
        injectedEntries.add(Objects.requireNonNull(remoteDir, "remoteDir"), List.copyOf(names), false);
    }

    /**
     * Like {@link #injectFiles}, but the injected entries are empty directories, modified at
     * {@link #INJECTED_MTIME}.
     *
     * @param remoteDir the absolute remote directory, e.g. {@code "/"} or {@code "/data"}
     * @param names the names to inject
     * @throws IOException if the injected directories cannot be created in their temporary directory
     */
    public void injectDirectories(String remoteDir, List<String> names) throws IOException {
        injectedEntries.add(Objects.requireNonNull(remoteDir, "remoteDir"), utf8(names), true);
    }

    /** The bytes that {@code names} are sent as. */
    private static List<byte[]> utf8(List<String> names) {
        return names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * Returns how many times a client opened a file added by {@link #injectFiles}, over all sessions. A client
     * that refuses hostile names never does.
     *
     * @return the number of successful OPEN requests for injected files
     */
    public int injectedFileOpens() {
        return injectedEntries.opens();
    }

    /**
     * Makes every later OPEN of a file whose remote path ends with {@code pathSuffix} fail with
     * {@code SSH_FX_PERMISSION_DENIED}, like a file the server's user may not read. Listings and STAT still
     * describe the file. This stands in for {@code chmod 000}, which does not stop a test running as root.
     *
     * @param pathSuffix the end of the remote path, e.g. a file name or {@code "dir/part_00001.parquet"}
     */
    public void denyPath(String pathSuffix) {
        fileSystemAccessor.deny(Objects.requireNonNull(pathSuffix, "pathSuffix"));
    }

    /**
     * Makes every later OPENDIR of a directory whose path ends with {@code dirSuffix} fail with
     * {@code SSH_FX_FAILURE}: a listing error part-way through a tree walk.
     */
    public void failListing(String dirSuffix) {
        fileSystemAccessor.failListing(Objects.requireNonNull(dirSuffix, "dirSuffix"));
    }

    /**
     * Makes the next read of a file whose path ends with {@code pathSuffix} fail with
     * {@code SSH_FX_FAILURE} once {@code afterBytes} bytes were served; one-shot. Unlike
     * {@link #cutAfterBytes}, the connection stays up: the server answers with an error.
     */
    public void failRead(String pathSuffix, long afterBytes) {
        fileSystemAccessor.failRead(Objects.requireNonNull(pathSuffix, "pathSuffix"), afterBytes);
    }

    /**
     * Stalls the channel: the first read of the next OPEN of a matching file waits {@code stall}
     * before it is answered, and the requests queued behind it on that channel wait too; one-shot.
     */
    public void stallRead(String pathSuffix, java.time.Duration stall) {
        fileSystemAccessor.stallRead(Objects.requireNonNull(pathSuffix, "pathSuffix"), stall);
    }

    /**
     * Makes listings, STAT and FSTAT of files whose path ends with {@code pathSuffix} report
     * {@code size}, whatever the file holds and READ sends.
     */
    public void misreportSize(String pathSuffix, long size) {
        fileSystemAccessor.misreportSize(Objects.requireNonNull(pathSuffix, "pathSuffix"), size);
    }

    /**
     * Closes every open session abruptly but keeps listening, like a dropped link to a server that is still
     * reachable for a reconnect.
     *
     * @return the number of sessions closed
     */
    public int dropAllSessions() {
        return server.closeSessions();
    }

    /**
     * Returns how many sessions are open right now.
     *
     * @return the number of active sessions; 0 once the server stopped
     */
    public int activeSessionCount() {
        return server.activeSessionCount();
    }

    /**
     * Stops the server abruptly: stops listening and closes every session at once, mid-transfer if need be, like
     * a server that died. {@link #close()} still cleans up afterwards.
     */
    public void kill() {
        authenticationGate.countDown();
        server.stopNow();
    }

    /**
     * Stops the server gracefully, closing sessions abruptly only if they do not close within a few seconds, and
     * deletes the injected entries and the key directory if the server created it. Calling it again does nothing.
     *
     * @throws IOException if the injected entries or the generated key directory cannot be deleted
     */
    @Override
    public void close() throws IOException {
        authenticationGate.countDown();
        try {
            server.close();
        } finally {
            injectedEntries.close();
        }
    }

    /** Configures and starts a {@link SftpTestServer}. */
    public static final class Builder {

        private final DemoSftpServer.Builder demo;
        private boolean stallAuthentication;
        private final List<SftpEventListener> sftpEventListeners = new ArrayList<>();
        private boolean sftp = true;
        private boolean shortData;

        private Builder(Path servedRoot) {
            this.demo = DemoSftpServer.builder(servedRoot);
        }

        /**
         * Sets the directory for the generated client key files and known_hosts file; it is created if missing
         * and kept on close. By default the server uses a fresh temporary directory and deletes it on close.
         *
         * @param keyDirectory where to write {@code id_*}, {@code id_*.pub} and {@code known_hosts}
         * @return this builder
         */
        public Builder keyDirectory(Path keyDirectory) {
            demo.keyDirectory(keyDirectory);
            return this;
        }

        /**
         * Sets the type of the client key pair to generate.
         *
         * @param clientKeyType {@link KeyType#ED25519} (the default) or {@link KeyType#RSA}
         * @return this builder
         */
        public Builder clientKeyType(KeyType clientKeyType) {
            demo.clientKeyType(clientKeyType);
            return this;
        }

        /**
         * Serves a host key of each of these types instead of the one Ed25519 key, e.g. to test a client that
         * knows only some of them.
         *
         * @param first the type of {@link SftpTestServer#hostKey()}, which {@link SftpTestServer#knownHostsFile()}
         *              lists
         * @param more  the types of further host keys
         * @return this builder
         */
        public Builder hostKeyTypes(KeyType first, KeyType... more) {
            demo.hostKeyTypes(first, more);
            return this;
        }

        /**
         * Never answers a public-key authentication request until the server closes, like an sshd whose account
         * lookups (PAM, LDAP, a home directory on a dead network mount) hang: the key exchange completes, the
         * login does not.
         *
         * @return this builder
         */
        public Builder stallAuthentication() {
            this.stallAuthentication = true;
            return this;
        }

        /**
         * Adds a listener to the SFTP subsystem, e.g. to observe requests or inject further faults. Listeners are
         * registered after the server's own byte-counting and cut hook, in the order added.
         *
         * @param listener the listener to add
         * @return this builder
         */
        public Builder sftpEventListener(SftpEventListener listener) {
            sftpEventListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Serves no SFTP subsystem: logins work, the request for "sftp" is refused, like an sshd whose
         * {@code Subsystem sftp} line is missing.
         *
         * @return this builder
         */
        public Builder withoutSftpSubsystem() {
            this.sftp = false;
            return this;
        }

        /**
         * Serves SFTP whose DATA replies claim more bytes than they carry, like a broken or hostile
         * server: the second half of each reply's data is cut off and its length field kept.
         *
         * @return this builder
         */
        public Builder shortDataReplies() {
            this.shortData = true;
            return this;
        }

        /**
         * Answers READ requests with at most {@code bytes} of data instead of {@link #MAX_READ_DATA_LENGTH}, like
         * servers with a lower limit (many allow 32 or 64 KiB): a larger READ comes back short although the file
         * goes on.
         *
         * @param bytes the most data one READ reply carries
         * @return this builder
         */
        public Builder maxReadData(int bytes) {
            demo.maxReadData(bytes);
            return this;
        }

        /**
         * Starts lake-demo's server with this builder's fault hooks plugged in: the file-system accessor that
         * injects entries and fails requests, the listener that counts and cuts reads, and the authentication gate.
         *
         * @return the running server
         * @throws IOException if a directory or file cannot be written or the server cannot bind
         */
        public SftpTestServer start() throws IOException {
            ReadFaults readFaults = new ReadFaults();
            InjectedEntries injectedEntries = new InjectedEntries();
            FaultyFileSystemAccessor accessor = new FaultyFileSystemAccessor(injectedEntries);
            List<SftpEventListener> listeners = new ArrayList<>(List.of(readFaults));
            listeners.addAll(sftpEventListeners);
            CountDownLatch authenticationGate = new CountDownLatch(stallAuthentication ? 1 : 0);
            DemoSftpServer server = demo.fileSystemAccessor(accessor)
                    .sftpEventListeners(listeners)
                    .sftpSubsystemFactory(sftpSubsystemFactory())
                    .authenticationGate((username, key, session) -> opened(authenticationGate))
                    .start();
            return new SftpTestServer(server, authenticationGate, readFaults, injectedEntries, accessor);
        }

        private Supplier<SftpSubsystemFactory> sftpSubsystemFactory() {
            if (!sftp) {
                return RefusedSftpFactory::new;
            }
            return shortData ? ShortDataSftpFactory::new : SftpSubsystemFactory::new;
        }

        /** Waits until the gate opens, which {@link #stallAuthentication} leaves to closing the server. */
        private static boolean opened(CountDownLatch gate) {
            try {
                gate.await();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
