package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway OpenSSH {@code sshd}, what users run: started on {@code 127.0.0.1} on a free port
 * with its own host keys, its own {@code authorized_keys} holding one generated client key, and
 * the {@code internal-sftp} subsystem, under the current user. It never reads or changes
 * {@code /etc/ssh} and leaves the system's sshd alone. Remote paths are the machine's own
 * absolute paths; {@link #servedRoot()} is an empty directory to fill.
 *
 * <p>It needs {@code /usr/sbin/sshd} and {@code ssh-keygen} (Debian's {@code openssh-server},
 * which {@code .ci/run} installs when it is missing).
 */
public final class OpenSshServer implements SshTestServer {
    /** Where Debian's openssh-server puts the daemon. */
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final String LOG_FILE = "sshd.log";

    private final Process process;
    private final Path directory;
    private final int port;
    private final Map<String, String> hostPublicKeys;

    private OpenSshServer(Process process, Path directory, int port, Map<String, String> hostPublicKeys) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.hostPublicKeys = hostPublicKeys;
    }

    /**
     * Starts a server whose files live in {@code directory}, with one host key per type
     * ({@code ed25519}, {@code rsa}, {@code ecdsa}, or a type and its bits such as {@code ecdsa-384};
     * the first is written to {@link #knownHostsFile()}).
     *
     * @throws IOException when sshd or ssh-keygen is missing, or sshd does not come up; the message
     *                     says why, with sshd's own output
     */
    public static OpenSshServer start(Path directory, String... hostKeyTypes) throws IOException {
        return start(directory, List.of(hostKeyTypes), List.of());
    }

    /**
     * Like {@link #start(Path, String...)}, with {@code sshdOptions} ({@code "Keyword value"}
     * lines, e.g. {@code "Ciphers chacha20-poly1305@openssh.com"}) written before the defaults:
     * sshd takes the first value it reads for a keyword, so these win.
     */
    public static OpenSshServer start(Path directory, List<String> hostKeyTypes, List<String> sshdOptions)
            throws IOException {
        if (!Files.isExecutable(SSHD)) {
            throw new IOException(SSHD + " is missing: install openssh-server (apt-get install -y openssh-server;"
                    + " .ci/run does)");
        }
        Path keys = Files.createDirectories(directory.resolve("keys"));
        Files.createDirectories(directory.resolve("root"));
        List<String> types = hostKeyTypes.isEmpty() ? List.of("ed25519") : hostKeyTypes;
        Map<String, String> hostPublicKeys = new LinkedHashMap<>();
        StringBuilder config = new StringBuilder("# a throwaway sshd for tests; never the system's\n");
        sshdOptions.forEach(option -> config.append(option).append('\n'));
        for (String type : types) {
            Path key = keygen(keys.resolve("host_" + type), type);
            hostPublicKeys.put(type, publicKey(key));
            config.append("HostKey ").append(key).append('\n');
        }
        Path client = keygen(keys.resolve("client_ed25519"), "ed25519");
        Files.writeString(keys.resolve("authorized_keys"), Files.readString(Path.of(client + ".pub")));
        int port = freePort();
        config.append("ListenAddress ").append(HOST).append('\n')
                .append("Port ").append(port).append('\n')
                .append("PidFile ").append(directory.resolve("sshd.pid")).append('\n')
                .append("AuthorizedKeysFile ").append(keys.resolve("authorized_keys")).append('\n')
                .append("StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\nPubkeyAuthentication yes\n")
                .append("PasswordAuthentication no\nKbdInteractiveAuthentication no\nAllowTcpForwarding no\n")
                .append("X11Forwarding no\nPrintMotd no\nMaxSessions 64\nLogLevel ERROR\n")
                .append("Subsystem sftp internal-sftp\n");
        Path configFile = directory.resolve("sshd_config");
        Files.writeString(configFile, config);
        Files.createDirectories(Path.of("/run/sshd")); // the privilege-separation directory sshd needs as root
        Path log = directory.resolve(LOG_FILE);
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OpenSshServer server = new OpenSshServer(process, directory, port, hostPublicKeys);
        try {
            Files.writeString(server.knownHostsFile(), server.knownHostsLine(types.get(0)) + "\n");
            server.awaitBanner(log);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    /** The user that may log in: the one running the tests. */
    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public Path clientKeyFile() {
        return directory.resolve("keys/client_ed25519");
    }

    /**
     * Also lets the client log in with the key whose {@code .pub} file is {@code publicKeyFile}, from
     * the next login on.
     */
    public void authorizeKey(Path publicKeyFile) throws IOException {
        Files.writeString(directory.resolve("keys/authorized_keys"), Files.readString(publicKeyFile),
                StandardOpenOption.APPEND);
    }

    @Override
    public Path knownHostsFile() {
        return directory.resolve("known_hosts");
    }

    /** The known_hosts line of the host key of {@code type}, e.g. {@code [127.0.0.1]:40022 ssh-rsa AAAA...}. */
    public String knownHostsLine(String type) {
        return "[" + HOST + "]:" + port + " " + hostPublicKeys.get(type);
    }

    /** An empty directory to serve from: remote paths are absolute, so profiles use its path as remote_root. */
    @Override
    public Path servedRoot() {
        return directory.resolve("root").toAbsolutePath();
    }

    /** {@return the served root's own absolute path: sshd serves the whole machine} */
    @Override
    public String remoteRoot() {
        return servedRoot().toString();
    }

    /**
     * Lets each sshd process started from now on (one per connection, and one per SFTP session)
     * open at most {@code files} descriptors, as a server's soft limit does: 1,024 on most
     * systems, where a test machine's may be far higher. Uses util-linux's {@code prlimit}.
     */
    public void limitOpenFiles(int files) throws IOException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(process.pid()), "--nofile=" + files + ":" + files)
                .redirectErrorStream(true).start();
        try {
            String output = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (prlimit.waitFor() != 0) {
                throw new IOException("prlimit failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while limiting sshd's open files");
        }
    }

    /** What sshd logs: errors only, unless the test's options choose another {@code LogLevel}. */
    public Path logFile() {
        return directory.resolve(LOG_FILE);
    }

    /** Stops sshd and waits for it; the directory and its files stay. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    private void awaitBanner(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] banner = new byte[8];
                if (in.readNBytes(banner, 0, banner.length) == banner.length
                        && new String(banner, StandardCharsets.US_ASCII).startsWith("SSH-2.0")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for sshd");
            }
        }
        throw new IOException("sshd did not answer on " + HOST + ":" + port + " within " + START_TIMEOUT.toSeconds()
                + " s: " + Files.readString(log));
    }

    private static Path keygen(Path file, String type) throws IOException {
        return SshKeygen.generate(file, type);
    }

    /** {@code TYPE BASE64} of a key's {@code .pub} file, without its comment. */
    private static String publicKey(Path key) throws IOException {
        String[] f = Files.readString(Path.of(key + ".pub")).trim().split(" ");
        return f[0] + " " + f[1];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }
}
