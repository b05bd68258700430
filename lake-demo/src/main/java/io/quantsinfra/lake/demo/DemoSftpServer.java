package io.quantsinfra.lake.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An embedded Apache MINA SSHD server that serves one directory over SFTP: what the demo command runs, and what
 * lake-testkit's test server builds on.
 *
 * <p>The server listens on {@code 127.0.0.1} on an ephemeral port. Remote path {@code /} is the served root,
 * and absolute remote paths resolve below it. It accepts only public-key authentication of {@link #user()} with
 * a key pair it generates on start and writes, in OpenSSH format, to {@link #clientKeyFile()}. Its host keys
 * (one Ed25519 key unless {@link Builder#hostKeyTypes} says otherwise) live in memory for the lifetime of the
 * object, and {@link #knownHostsFile()} lists the first for {@code [127.0.0.1]:port}. Like OpenSSH 8.8 and later,
 * it neither makes nor accepts SHA-1 {@code ssh-rsa} signatures: RSA keys sign as {@code rsa-sha2-512} or
 * {@code rsa-sha2-256}. Like OpenSSH, it answers READ requests with up to {@link #MAX_READ_DATA_LENGTH} bytes.
 *
 * <p>The builder also takes the SFTP subsystem's factory, file-system accessor and event listeners and an
 * authentication gate, MINA's own extension points: test tools change what the server does through them, so that
 * this class, which the CLI ships, knows nothing of faults.
 */
public final class DemoSftpServer implements AutoCloseable {

    /** The largest data length the server returns for one SFTP READ (255 KiB, close to OpenSSH's limit). */
    public static final int MAX_READ_DATA_LENGTH = 261_120;

    private static final String HOST = "127.0.0.1";
    private static final String USER = "lake";
    private static final String KNOWN_HOSTS_FILE_NAME = "known_hosts";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The default gate. Not MINA's AcceptAllPublickeyAuthenticator: that one warns on every login it lets in. */
    private static final PublickeyAuthenticator OPEN_GATE = (username, key, session) -> true;

    private final SshServer sshd;
    private final int port;
    private final Path servedRoot;
    private final Path clientKeyFile;
    private final Map<KeyType, PublicKey> hostKeys;
    private final Path keyDirectory;
    private final boolean ownsKeyDirectory;
    private final List<PublicKey> authorizedKeys;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoSftpServer(SshServer sshd, Path servedRoot, Path clientKeyFile, Map<KeyType, PublicKey> hostKeys,
            Path keyDirectory, boolean ownsKeyDirectory, List<PublicKey> authorizedKeys) {
        this.sshd = sshd;
        this.port = sshd.getPort();
        this.servedRoot = servedRoot;
        this.clientKeyFile = clientKeyFile;
        this.hostKeys = hostKeys;
        this.keyDirectory = keyDirectory;
        this.ownsKeyDirectory = ownsKeyDirectory;
        this.authorizedKeys = authorizedKeys;
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
     * Also accepts {@code key} for the user from now on, e.g. an ECDSA or passphrase-protected key written in
     * another format.
     *
     * @param key the public half of the client's key pair
     */
    public void authorizeKey(PublicKey key) {
        authorizedKeys.add(Objects.requireNonNull(key, "key"));
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
        return keyDirectory.resolve(KNOWN_HOSTS_FILE_NAME);
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
        return knownHostsLine(HOST, port);
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
     * Returns how many sessions are open right now.
     *
     * @return the number of active sessions; 0 once the server stopped
     */
    public int activeSessionCount() {
        return activeSessions().size();
    }

    /**
     * Closes every open session at once, mid-transfer if need be, and keeps listening for new ones.
     *
     * @return the number of sessions closed
     */
    public int closeSessions() {
        List<CloseFuture> closing = new ArrayList<>();
        for (AbstractSession session : activeSessions()) {
            closing.add(session.close(true));
        }
        awaitAll(closing);
        return closing.size();
    }

    /**
     * Stops listening and closes every session at once, mid-transfer if need be. {@link #close()} still deletes
     * what the server wrote.
     */
    public void stopNow() {
        awaitAll(List.of(sshd.close(true)));
    }

    /**
     * Stops the server gracefully, closing sessions at once only if they do not close within a few seconds, and
     * deletes the key directory if the server created it. Calling it again does nothing.
     *
     * @throws IOException if the generated key directory cannot be deleted
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!awaitAll(List.of(sshd.close(false)))) {
                stopNow();
            }
        } finally {
            if (ownsKeyDirectory) {
                PathTrees.deleteRecursively(keyDirectory);
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

    /** Configures and starts a {@link DemoSftpServer}. */
    public static final class Builder {

        private final Path servedRoot;
        private Path keyDirectory;
        private KeyType clientKeyType = KeyType.ED25519;
        private List<KeyType> hostKeyTypes = List.of(KeyType.ED25519);
        private int maxReadData = MAX_READ_DATA_LENGTH;
        private Supplier<? extends SftpSubsystemFactory> sftpSubsystemFactory = SftpSubsystemFactory::new;
        private SftpFileSystemAccessor fileSystemAccessor = SftpFileSystemAccessor.DEFAULT;
        private List<SftpEventListener> sftpEventListeners = List.of();
        private PublickeyAuthenticator authenticationGate = OPEN_GATE;

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
         * @param first the type of {@link DemoSftpServer#hostKey()}, which {@link DemoSftpServer#knownHostsFile()}
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
         * Makes the SFTP subsystem's factory with {@code factory} instead of MINA's plain one, e.g. a subclass
         * that changes how replies are sent. The builder sets the file-system accessor and the event listeners on
         * the factory it gets.
         *
         * @param factory called once per {@link #start()}
         * @return this builder
         */
        public Builder sftpSubsystemFactory(Supplier<? extends SftpSubsystemFactory> factory) {
            this.sftpSubsystemFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Serves files through {@code accessor} instead of MINA's default one, e.g. to change what listings,
         * opens or reads return.
         *
         * @param accessor the SFTP subsystem's file-system accessor
         * @return this builder
         */
        public Builder fileSystemAccessor(SftpFileSystemAccessor accessor) {
            this.fileSystemAccessor = Objects.requireNonNull(accessor, "accessor");
            return this;
        }

        /**
         * Sets the listeners of the SFTP subsystem, called in this order, replacing those set before.
         *
         * @param listeners the listeners, e.g. to observe requests
         * @return this builder
         */
        public Builder sftpEventListeners(List<? extends SftpEventListener> listeners) {
            this.sftpEventListeners = List.copyOf(listeners);
            return this;
        }

        /**
         * Asks {@code gate} about every public key a client offers before the server checks the key itself: the
         * key is accepted only if both accept it. By default the gate accepts every key.
         *
         * @param gate called on MINA's authentication thread; it may block
         * @return this builder
         */
        public Builder authenticationGate(PublickeyAuthenticator gate) {
            this.authenticationGate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * Generates the keys, writes the key and known_hosts files and starts the server.
         *
         * @return the running server
         * @throws IOException if a directory or file cannot be written or the server cannot bind
         */
        public DemoSftpServer start() throws IOException {
            Path root = Files.createDirectories(servedRoot.toAbsolutePath().normalize());
            boolean ownsKeys = keyDirectory == null;
            Path keys = ownsKeys ? Files.createTempDirectory("lake-sftp-keys-") : Files.createDirectories(keyDirectory);
            SshServer sshd = SshServer.setUpDefaultServer();
            try {
                KeyPair clientKeyPair = clientKeyType.generate();
                Map<KeyType, KeyPair> hostKeyPairs = new LinkedHashMap<>();
                hostKeyTypes.forEach(type -> hostKeyPairs.put(type, type.generate()));
                Path clientKeyFile = keys.resolve(clientKeyType.fileName());
                KeyFiles.write(clientKeyPair, clientKeyFile, USER + "@lake-demo");

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
                List<PublicKey> authorized = new CopyOnWriteArrayList<>(List.of(clientKeyPair.getPublic()));
                PublickeyAuthenticator gate = authenticationGate;
                sshd.setPublickeyAuthenticator((username, key, session) -> gate.authenticate(username, key, session)
                        && USER.equals(username) && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
                sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
                sshd.setSubsystemFactories(List.of(sftpSubsystem()));
                SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.set(sshd, maxReadData);
                sshd.start();

                Map<KeyType, PublicKey> hostKeys = new LinkedHashMap<>();
                hostKeyPairs.forEach((type, pair) -> hostKeys.put(type, pair.getPublic()));
                DemoSftpServer server = new DemoSftpServer(sshd, root, clientKeyFile, hostKeys, keys, ownsKeys,
                        authorized);
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

        private SftpSubsystemFactory sftpSubsystem() {
            SftpSubsystemFactory sftp = sftpSubsystemFactory.get();
            sftp.setFileSystemAccessor(fileSystemAccessor);
            sftpEventListeners.forEach(sftp::addSftpEventListener);
            return sftp;
        }
    }
}
