package io.quantsinfra.lake.testkit;

import io.quantsinfra.lake.demo.PathTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An embedded Apache MINA SSHD server that serves one directory over SFTP, for tests, benchmarks and demos.
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
public final class SftpTestServer implements AutoCloseable {

    /** The largest data length the server returns for one SFTP READ (255 KiB, close to OpenSSH's limit). */
    public static final int MAX_READ_DATA_LENGTH = 261_120;

    /** The size of every file added by {@link #injectFiles}. */
    public static final int INJECTED_FILE_SIZE = 4096;

    /** The modification time of every entry added by {@link #injectFiles} or {@link #injectDirectories}. */
    public static final Instant INJECTED_MTIME = Instant.parse("2024-01-01T00:00:00Z");

    private static final String HOST = "127.0.0.1";
    private static final String USER = "lake";
    private static final String KNOWN_HOSTS_FILE_NAME = "known_hosts";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final SshServer sshd;
    private final int port;
    private final Path servedRoot;
    private final Path clientKeyFile;
    private final Path knownHostsFile;
    private final Map<KeyType, PublicKey> hostKeys;
    private final CountDownLatch authenticationGate;
    private final ReadFaults readFaults;
    private final InjectedEntries injectedEntries;
    private final FaultyFileSystemAccessor fileSystemAccessor;
    private final Path keyDirectory;
    private final boolean ownsKeyDirectory;
    private final List<PublicKey> authorizedKeys;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SftpTestServer(SshServer sshd, Path servedRoot, Path clientKeyFile, Path knownHostsFile,
            Map<KeyType, PublicKey> hostKeys, CountDownLatch authenticationGate, ReadFaults readFaults,
            InjectedEntries injectedEntries,
            FaultyFileSystemAccessor fileSystemAccessor, Path keyDirectory, boolean ownsKeyDirectory,
            List<PublicKey> authorizedKeys) {
        this.sshd = sshd;
        this.port = sshd.getPort();
        this.servedRoot = servedRoot;
        this.clientKeyFile = clientKeyFile;
        this.knownHostsFile = knownHostsFile;
        this.hostKeys = hostKeys;
        this.authenticationGate = authenticationGate;
        this.readFaults = readFaults;
        this.injectedEntries = injectedEntries;
        this.fileSystemAccessor = fileSystemAccessor;
        this.keyDirectory = keyDirectory;
        this.ownsKeyDirectory = ownsKeyDirectory;
        this.authorizedKeys = authorizedKeys;
    }

    /**
     * Also accepts {@code key} for the user from now on, e.g. an ECDSA or passphrase-protected
     * key a test wrote in another format.
     */
    public void authorizeKey(PublicKey key) {
        authorizedKeys.add(key);
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
     * Returns the address the server listens on.
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return HOST;
    }

    /**
     * Returns the port the server listens on.
     *
     * @return the ephemeral port picked on start, also after the server stopped
     */
    public int port() {
        return port;
    }

    /**
     * Returns the only user name the server accepts.
     *
     * @return {@code "lake"}
     */
    public String user() {
        return USER;
    }

    /**
     * Returns the unencrypted OpenSSH-format private key file the client must authenticate with.
     *
     * @return {@code id_ed25519} or {@code id_rsa} in the key directory, mode 0600, next to its {@code .pub}
     */
    public Path clientKeyFile() {
        return clientKeyFile;
    }

    /**
     * Returns a known_hosts file with the single entry {@link #knownHostsLine()}.
     *
     * @return {@code known_hosts} in the key directory
     */
    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /**
     * Returns the directory served as the remote root.
     *
     * @return the absolute, normalized served root
     */
    public Path servedRoot() {
        return servedRoot;
    }

    /**
     * Returns the server's first public host key, which stays the same for the lifetime of this object.
     *
     * @return the first of {@link Builder#hostKeyTypes}: the Ed25519 host key by default
     */
    public PublicKey hostKey() {
        return hostKeys.values().iterator().next();
    }

    /**
     * Returns the server's public host key of one type.
     *
     * @param type one of the types passed to {@link Builder#hostKeyTypes}
     * @return that host key
     * @throws IllegalArgumentException if the server has no host key of that type
     */
    public PublicKey hostKey(KeyType type) {
        PublicKey key = hostKeys.get(Objects.requireNonNull(type, "type"));
        if (key == null) {
            throw new IllegalArgumentException("the server has no " + type + " host key: " + hostKeys.keySet());
        }
        return key;
    }

    /**
     * Returns the known_hosts line for this server's own address.
     *
     * @return a line such as {@code [127.0.0.1]:40123 ssh-ed25519 AAAA...}, without a line break
     */
    public String knownHostsLine() {
        return knownHostsLine(HOST, port());
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
        String hostPattern = port == 22 ? host : "[" + host + "]:" + port;
        return hostPattern + " " + PublicKeyEntry.toString(hostKey());
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
        List<CloseFuture> closing = new ArrayList<>();
        for (AbstractSession session : activeSessions()) {
            closing.add(session.close(true));
        }
        awaitAll(closing);
        return closing.size();
    }

    /**
     * Returns how many sessions are open right now.
     *
     * @return the number of active sessions; 0 once the server stopped
     */
    public int activeSessionCount() {
        return activeSessions().size();
    }

    /**
     * Stops the server abruptly: stops listening and closes every session at once, mid-transfer if need be, like
     * a server that died. {@link #close()} still cleans up afterwards.
     */
    public void kill() {
        authenticationGate.countDown();
        awaitAll(List.of(sshd.close(true)));
    }

    /**
     * Stops the server gracefully, closing sessions abruptly only if they do not close within a few seconds, and
     * deletes the injected entries and the key directory if the server created it. Calling it again does nothing.
     *
     * @throws IOException if the injected entries or the generated key directory cannot be deleted
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        authenticationGate.countDown();
        try {
            if (!awaitAll(List.of(sshd.close(false)))) {
                kill();
            }
        } finally {
            try {
                injectedEntries.close();
            } finally {
                if (ownsKeyDirectory) {
                    PathTrees.deleteRecursively(keyDirectory);
                }
            }
        }
    }

    private List<AbstractSession> activeSessions() {
        return sshd.isOpen() ? sshd.getActiveSessions() : List.of();
    }

    private static boolean awaitAll(List<CloseFuture> futures) {
        boolean allClosed = true;
        for (CloseFuture future : futures) {
            try {
                allClosed &= future.await(CLOSE_TIMEOUT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return allClosed;
    }

    /** Configures and starts a {@link SftpTestServer}. */
    public static final class Builder {

        private final Path servedRoot;
        private Path keyDirectory;
        private KeyType clientKeyType = KeyType.ED25519;
        private List<KeyType> hostKeyTypes = List.of(KeyType.ED25519);
        private boolean stallAuthentication;
        private final List<SftpEventListener> sftpEventListeners = new ArrayList<>();
        private boolean sftp = true;
        private boolean shortData;
        private int maxReadData = MAX_READ_DATA_LENGTH;

        private Builder(Path servedRoot) {
            this.servedRoot = Objects.requireNonNull(servedRoot, "servedRoot");
        }

        /**
         * Sets the directory for the generated client key files and known_hosts file; it is created if missing
         * and kept on close. By default the server uses a fresh temporary directory and deletes it on close.
         *
         * @param keyDirectory where to write {@code id_*}, {@code id_*.pub} and {@code known_hosts}
         * @return this builder
         */
        public Builder keyDirectory(Path keyDirectory) {
            this.keyDirectory = Objects.requireNonNull(keyDirectory, "keyDirectory");
            return this;
        }

        /**
         * Sets the type of the client key pair to generate.
         *
         * @param clientKeyType {@link KeyType#ED25519} (the default) or {@link KeyType#RSA}
         * @return this builder
         */
        public Builder clientKeyType(KeyType clientKeyType) {
            this.clientKeyType = Objects.requireNonNull(clientKeyType, "clientKeyType");
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
            List<KeyType> types = new ArrayList<>(List.of(Objects.requireNonNull(first, "first")));
            types.addAll(List.of(more));
            if (types.stream().distinct().count() != types.size()) {
                throw new IllegalArgumentException("one host key per type: " + types);
            }
            this.hostKeyTypes = List.copyOf(types);
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
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxReadData must be positive: " + bytes);
            }
            this.maxReadData = bytes;
            return this;
        }

        /**
         * Generates the keys, writes the key and known_hosts files and starts the server.
         *
         * @return the running server
         * @throws IOException if a directory or file cannot be written or the server cannot bind
         */
        public SftpTestServer start() throws IOException {
            Path root = Files.createDirectories(servedRoot.toAbsolutePath().normalize());
            boolean ownsKeys = keyDirectory == null;
            Path keys = ownsKeys ? Files.createTempDirectory("lake-sftp-keys-") : Files.createDirectories(keyDirectory);
            SshServer sshd = SshServer.setUpDefaultServer();
            try {
                KeyPair clientKeyPair = generateKeyPair(clientKeyType.sshAlgorithm(), clientKeyType.bits());
                Map<KeyType, KeyPair> hostKeyPairs = new LinkedHashMap<>();
                hostKeyTypes.forEach(type -> hostKeyPairs.put(type, generateKeyPair(type.sshAlgorithm(), type.bits())));
                Path clientKeyFile = keys.resolve(clientKeyType.fileName());
                KeyFiles.write(clientKeyPair, clientKeyFile, USER + "@lake-testkit");

                ReadFaults readFaults = new ReadFaults();
                InjectedEntries injectedEntries = new InjectedEntries();
                FaultyFileSystemAccessor accessor = new FaultyFileSystemAccessor(injectedEntries);
                SftpSubsystemFactory sftp = shortData ? new ShortDataSftpFactory() : new SftpSubsystemFactory();
                sftp.setFileSystemAccessor(accessor);
                sftp.addSftpEventListener(readFaults);
                sftpEventListeners.forEach(sftp::addSftpEventListener);

                PublicKey clientPublicKey = clientKeyPair.getPublic();
                sshd.setHost(HOST);
                sshd.setPort(0);
                sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKeyPairs.values().toArray(KeyPair[]::new)));
                // As OpenSSH 8.8 and later: a client that knows a host only by its RSA key must ask for rsa-sha2-*.
                sshd.setSignatureFactories(sshd.getSignatureFactories().stream()
                        .filter(f -> !BuiltinSignatures.rsa.getName().equals(f.getName())).toList());
                sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
                sshd.setPasswordAuthenticator(null);
                sshd.setKeyboardInteractiveAuthenticator(null);
                sshd.setGSSAuthenticator(null);
                sshd.setHostBasedAuthenticator(null);
                List<PublicKey> authorized = new CopyOnWriteArrayList<>(List.of(clientPublicKey));
                CountDownLatch authenticationGate = new CountDownLatch(stallAuthentication ? 1 : 0);
                sshd.setPublickeyAuthenticator((username, key, session) -> {
                    try {
                        authenticationGate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    return USER.equals(username) && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
                });
                sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
                sshd.setSubsystemFactories(this.sftp ? List.of(sftp) : List.of());
                SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.set(sshd, maxReadData);
                sshd.start();

                Map<KeyType, PublicKey> hostKeys = new LinkedHashMap<>();
                hostKeyPairs.forEach((type, pair) -> hostKeys.put(type, pair.getPublic()));
                SftpTestServer server = new SftpTestServer(sshd, root, clientKeyFile,
                        keys.resolve(KNOWN_HOSTS_FILE_NAME), hostKeys, authenticationGate, readFaults, injectedEntries,
                        accessor, keys, ownsKeys, authorized);
                Files.writeString(server.knownHostsFile(), server.knownHostsLine() + "\n", StandardCharsets.UTF_8);
                return server;
            } catch (IOException | RuntimeException e) {
                try {
                    sshd.stop(true);
                    if (ownsKeys) {
                        PathTrees.deleteRecursively(keys);
                    }
                } catch (IOException | RuntimeException cleanupFailure) {
                    e.addSuppressed(cleanupFailure);
                }
                throw e;
            }
        }

        private static KeyPair generateKeyPair(String sshAlgorithm, int bits) {
            try {
                return KeyUtils.generateKeyPair(sshAlgorithm, bits);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate a " + sshAlgorithm + " key pair", e);
            }
        }
    }
}
