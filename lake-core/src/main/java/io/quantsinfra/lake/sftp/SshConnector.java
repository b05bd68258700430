package io.quantsinfra.lake.sftp;

import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.sshconfig.ConnectionSettings;
import io.quantsinfra.lake.sshconfig.SshEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Security;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.ConnectionImpl;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.TransportImpl;
import net.schmizz.sshj.transport.kex.Curve25519SHA256;
import net.schmizz.sshj.transport.kex.DHGroupData;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthImpl;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Opens an authenticated SFTP session to a profile's source with sshj: host key checked against
 * known_hosts as OpenSSH does ({@link KnownHostsVerifier}), a login with key files and the
 * ssh-agent's keys in ssh's order ({@link IdentityLogin}), modern ciphers on
 * the JDK's own AES, TCP_NODELAY, keepalive, the session made within one deadline
 * ({@link ConnectDeadline}) and every later wait bounded by the I/O timeout. Every failure becomes
 * a {@link LakeException} of kind {@code CONNECTION} whose message names the host and whose hint
 * gives the fix.
 *
 * <p>Host, port, user, key, known_hosts, timeouts and jump hosts are the profile's merged with its
 * host's ssh_config ({@link ConnectionSettings}). With ProxyJump, one connector per jump host
 * makes its session the same way, each through the one before ({@link JumpChain}).
 */
final class SshConnector {
    private static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(60);
    private static final long WINDOW_SIZE = 16L * 1024 * 1024;
    /** At 262144 OpenSSH sends packets sshj rejects as "invalid packet length". */
    private static final int MAX_PACKET_SIZE = 261120;

    private final Profile profile;
    /** The server this connector reaches, its values settled: the profile's source, or a jump host. */
    private final SshEndpoint endpoint;
    /** {@link #endpoint} with the profile's passphrase variable and host key policy, as the checks read it. */
    private final SshSource source;
    private final Map<String, String> env;
    private final ConnectionSettings settings;
    private final boolean jumpHost;
    private final Consumer<String> warnings;

    /**
     * @param profile  the profile to connect for
     * @param env      environment variables: {@code HOME} for the default keys, the key passphrase,
     *                 {@code SSH_AUTH_SOCK}
     * @param settings the profile's source merged with its host's ssh_config
     * @param warnings hears what a user should know that does not stop the connection, e.g. a key
     *                 ignored because others may read it
     */
    SshConnector(Profile profile, Map<String, String> env, ConnectionSettings settings, Consumer<String> warnings) {
        this(profile, env, settings, Optional.empty(), warnings);
    }

    private SshConnector(Profile profile, Map<String, String> env, ConnectionSettings settings,
                         Optional<SshEndpoint> jumpHost, Consumer<String> warnings) {
        this.profile = profile;
        this.endpoint = jumpHost.orElse(settings.target());
        this.source = endpoint.asSource(profile.source());
        this.env = env;
        this.settings = settings;
        this.jumpHost = jumpHost.isPresent();
        this.warnings = warnings;
    }

    /** {@code user@host:port}, the host being the real HostName. */
    String where() {
        return endpoint.where();
    }

    /**
     * Loads and initializes, on the calling thread, what a process's first connection needs and
     * would otherwise do between its TCP connect and its first SFTP request: the logger binding,
     * sshj's transport classes, the JCE and the JDK's AES-GCM, X25519 and Ed25519. Never fails:
     * what cannot be prepared here fails, with its own message, when connecting.
     */
    static void warmUp() {
        SecurityUtils.setRegisterBouncyCastle(false); // as connect() does
        try {
            Cipher.getInstance("AES/GCM/NoPadding");
            KeyPairGenerator.getInstance("X25519").generateKeyPair();
            Signature.getInstance("Ed25519");
            KeyFactory.getInstance("Ed25519");
            MessageDigest.getInstance("SHA-256");
            String.format("%d", 0); // sshj names its reader thread so: the locale's digits load here, not while connecting
        } catch (GeneralSecurityException e) {
            // the connection's own attempt reports it
        }
        for (Class<?> c : List.of(SSHClient.class, PipelinedAuthClient.class, TransportImpl.class, OpenSSHKnownHosts.class,
                KeyType.class, DHGroupData.class, Curve25519SHA256.class, GcmCiphers.class, ConnectionImpl.class, UserAuthImpl.class,
                OpenSSHKeyV1KeyFile.class)) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // loaded again, with its error, when connecting
            }
        }
    }

    /**
     * Connects, authenticates and opens the profile's number of SFTP channels.
     *
     * @param memory    the READ budget and reply buffers the connection shares with the connector's others
     * @param leavePool run once the connection is found lost (see {@link SftpConnection})
     */
    SftpConnection connect(ReadMemory memory, Runnable leavePool) {
        SecurityUtils.setRegisterBouncyCastle(false);
        try {
            return attempt(memory, leavePool);
        } catch (LakeException e) {
            if (needsBouncyCastle(e) && addBouncyCastleAsFallback()) {
                return attempt(memory, leavePool);
            }
            throw e;
        }
    }

    /**
     * Whether a failure came from an algorithm only BouncyCastle provides here: sshj asks the
     * JCA for an "ECDSA" key factory (ECDSA host keys and key files), which the JDK names "EC".
     */
    static boolean needsBouncyCastle(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.security.GeneralSecurityException
                    || c.getMessage() != null && c.getMessage().contains("not available")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One connection attempt, in two bounds. Making the session is bounded by one deadline,
     * {@code --contimeout} (else ssh_config's ConnectTimeout, else 30 s), from the start: the jump
     * hosts' sessions if there are any, the TCP connect, the server's SSH identification, the key
     * exchange with the host key check, and authentication (the {@link ConnectDeadline.Stage}s);
     * a host that accepts TCP but never speaks, or stalls in any stage, fails when it passes,
     * naming the stage. Every later wait (opening the SFTP channels,
     * each request, closing a channel on a dead link) is bounded by {@code --timeout}, the I/O
     * timeout (60 s unless set), which sshj would otherwise leave at its own 30 s.
     */
    private SftpConnection attempt(ReadMemory memory, Runnable leavePool) {
        ConnectDeadline deadline = new ConnectDeadline(settings.connectTimeout());
        PipelinedAuthClient ssh = newClient(deadline);
        try {
            try {
                JumpChain route = openJumpHosts(deadline);
                ssh.closeAfter(route);
                makeSession(ssh, deadline, route);
            } finally {
                deadline.close();
            }
            boundWaits(ssh);
            List<SftpSession> channels = new ArrayList<>();
            Duration roundTrip = openChannels(ssh, channels, memory.buffers());
            return new SftpConnection(ssh, channels, where(), memory, roundTrip, leavePool);
        } catch (LakeException e) {
            closeQuietly(ssh);
            throw e;
        } catch (IOException e) {
            closeQuietly(ssh);
            throw failure("cannot open an SFTP session on " + where() + ": " + e.getMessage(),
                    "check that the SSH server on " + source.host() + " has the sftp subsystem enabled", e);
        }
    }

    /** A client tuned for throughput, with the keepalive of the settings. */
    private PipelinedAuthClient newClient(ConnectDeadline deadline) {
        PipelinedAuthClient ssh = new PipelinedAuthClient(new TunedConfig(), deadline::enter);
        ssh.getConnection().setWindowSize(WINDOW_SIZE);
        ssh.getConnection().setMaxPacketSize(MAX_PACKET_SIZE);
        ssh.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.serverAliveInterval().toSeconds());
        if (ssh.getConnection().getKeepAlive() instanceof KeepAliveRunner runner) {
            runner.setMaxAliveCount(Math.max(1, settings.serverAliveCountMax())); // sshj's default is 5
        }
        return ssh;
    }

    /** Bounds every wait of a made session by the I/O timeout. */
    private void boundWaits(SSHClient ssh) {
        int ioTimeout = (int) profile.rsync().ioTimeout().orElse(DEFAULT_IO_TIMEOUT).toMillis();
        ssh.getTransport().setTimeoutMs(ioTimeout);
        ssh.getConnection().setTimeoutMs(ioTimeout);
    }

    /**
     * Connects and logs in to each ProxyJump host in turn, each through the one before, within
     * the connection's deadline; no jump hosts make an empty route, straight over TCP.
     *
     * @throws LakeException whose message says the jump host failed, with the failure's own hint
     */
    private JumpChain openJumpHosts(ConnectDeadline deadline) {
        JumpChain route = new JumpChain(deadline, settings.proxyJump());
        for (SshEndpoint jump : settings.jumps()) {
            SshConnector hop = new SshConnector(profile, env, settings, Optional.of(jump), warnings);
            PipelinedAuthClient client = hop.newClient(deadline);
            try {
                hop.makeSession(client, deadline, route);
                boundWaits(client);
            } catch (LakeException e) {
                closeQuietly(client);
                route.close();
                throw route.jumpHostFailure(e);
            } catch (IOException e) {
                closeQuietly(client);
                route.close();
                throw route.jumpHostFailure(hop.failure("cannot log in to " + hop.where() + ": " + e.getMessage(),
                        "check that sshd on " + jump.hostName() + " runs and accepts the key", e));
            }
            route.add(client, hop.where());
        }
        return route;
    }

    /**
     * Connects over {@code route} and authenticates before {@code deadline} passes. Until then
     * sshj's own bounds on the TCP connect, the read of the identification and the waits for
     * replies are set to the whole deadline too, so that they can only fire after it; the
     * deadline's watchdog is what ends a stalled stage.
     *
     * @throws LakeException naming the stage the deadline passed in, or what else went wrong
     */
    private void makeSession(PipelinedAuthClient ssh, ConnectDeadline deadline, JumpChain route) throws IOException {
        try {
            KnownHostsVerifier hostKeys = KnownHostsVerifier.load(source, where());
            ssh.addHostKeyVerifier(hostKeys);
            ssh.setSocketFactory(new NoDelaySocketFactory(deadline::guard));
            int bound = (int) deadline.bound().toMillis();
            ssh.setConnectTimeout(bound);
            ssh.setTimeout(bound);
            ssh.getTransport().setTimeoutMs(bound);
            if (profile.rsync().compress() && !jumpHost) { // the target's stream inside a jump is compressed already
                ssh.useCompression(); // only sets what the key exchange offers: before it, or it is never negotiated
            }
            connectTransport(ssh, hostKeys, route);
            deadline.enter(ConnectDeadline.Stage.AUTHENTICATION);
            try {
                authenticate(ssh, deadline);
            } catch (IllegalStateException e) {
                throw closedMidway(ssh, e); // sshj checks the link before each step: it dropped after the key exchange
            }
        } catch (LakeException | IOException e) {
            if (deadline.passed()) {
                // The watchdog closed the socket: what sshj made of that ("broken transport", an
                // authentication that failed) is not the reason, and neither is our reading of it.
                Throwable cause = e instanceof LakeException && e.getCause() != null ? e.getCause() : e;
                ConnectDeadline.Stage stage = deadline.stage();
                throw failure(stage.message(where(), deadline.bound()), stage.hint(source.host()), cause);
            }
            throw e;
        }
    }

    /**
     * Opens the SFTP sessions at once into {@code channels}: each costs three round trips
     * (channel, subsystem, init), which would add up at latency if they were opened one after
     * the other. The INIT exchange costs the server nothing, so the quickest one measures the
     * round trip.
     */
    private Duration openChannels(SSHClient ssh, List<SftpSession> channels, ReplyBuffers buffers) throws IOException {
        int timeout = (int) profile.rsync().ioTimeout().orElse(DEFAULT_IO_TIMEOUT).toMillis();
        AtomicLong quickest = new AtomicLong(Long.MAX_VALUE);
        List<CompletableFuture<SftpSession>> opening = new ArrayList<>();
        Supplier<HandlePermits> handles = HandlePermits.forServer(ssh.getTransport().getServerVersion());
        Executor threads = OwnThreads.named("lake-sftp-open");
        for (int i = 0; i < profile.sftpChannels(); i++) {
            opening.add(CompletableFuture.supplyAsync(() -> {
                try {
                    SftpSession sftp = SftpSession.open(ssh, buffers, timeout, handles.get());
                    long t0 = System.nanoTime();
                    sftp.init();
                    quickest.accumulateAndGet(System.nanoTime() - t0, Math::min);
                    return sftp;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, threads));
        }
        for (CompletableFuture<SftpSession> f : opening) {
            try {
                channels.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                if (e.getCause() instanceof IllegalStateException s) {
                    throw closedMidway(ssh, s);
                }
                throw e;
            }
        }
        return Duration.ofNanos(quickest.get());
    }

    /**
     * sshj's "Not connected" (an IllegalStateException) when the link dropped between two steps
     * of making the session, as the I/O failure it is; any other IllegalStateException is a bug
     * and goes on as one.
     */
    private LakeException closedMidway(SSHClient ssh, IllegalStateException e) {
        if (ssh.isConnected()) {
            throw e;
        }
        return failure("the connection to " + where() + " closed while the session was being made",
                "check the network and the server (its sshd log says why it hung up); the next run tries again", e);
    }

    private void connectTransport(SSHClient ssh, KnownHostsVerifier hostKeys, JumpChain route) {
        try {
            route.connect(ssh, source.host(), source.port());
        } catch (TransportException e) {
            if (hostKeys.refusal().isPresent()) {
                KnownHostsVerifier.Refusal refusal = hostKeys.refusal().get();
                throw failure(refusal.message(), refusal.hint(), e);
            }
            Optional<AlgorithmMismatch.Explanation> mismatch = AlgorithmMismatch.explain(e, where());
            if (mismatch.isPresent()) {
                throw failure(mismatch.get().message(), mismatch.get().hint(), e);
            }
            throw failure("cannot connect to " + where() + ": " + e.getMessage(),
                    "check host and port, and that sshd runs there", e);
        } catch (IOException e) {
            throw failure("cannot connect to " + where() + ": " + e,
                    "check host and port, the network (e.g. Tailscale) and that sshd listens there", e);
        }
    }

    private void authenticate(PipelinedAuthClient ssh, ConnectDeadline deadline) throws IOException {
        new IdentityLogin(ssh, source, IdentitySources.forEndpoint(endpoint, env),
                new KeyFileReader(ssh, source.passphraseEnv(), env), deadline.bound()).login(warnings);
    }

    private LakeException failure(String message, String hint, Throwable cause) {
        return new LakeException(LakeException.Kind.CONNECTION, where(), message, hint, cause);
    }

    private static void closeQuietly(SSHClient ssh) {
        try {
            ssh.disconnect();
        } catch (IOException | RuntimeException e) {
            // already failing; the first error is the one reported
        }
    }

    /**
     * sshj would make BouncyCastle the provider of every algorithm, which forces slow pure-Java
     * AES; so it is never sshj's provider (see {@link #connect}). Loading it is slow, so it is
     * added, after the JDK's providers, only when a connection needs what only it offers: ECDSA
     * host keys and key files, legacy PEM.
     *
     * @return whether it was added now: false when it was there already, and trying again would not help
     */
    static synchronized boolean addBouncyCastleAsFallback() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) != null) {
            return false;
        }
        Security.addProvider(new BouncyCastleProvider());
        return true;
    }
}
