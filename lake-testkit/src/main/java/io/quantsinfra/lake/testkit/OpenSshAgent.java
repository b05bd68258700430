package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A throwaway OpenSSH {@code ssh-agent}, started in the foreground on a socket of its own, never the
 * user's: a test adds keys with {@link #add} and points a profile's {@code SSH_AUTH_SOCK} at
 * {@link #socket()}. It needs {@code ssh-agent} and {@code ssh-add} (Debian's {@code openssh-client}).
 */
public final class OpenSshAgent implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path socket;

    private OpenSshAgent(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * Starts an agent listening on {@code socket}, which must not exist and whose path must be short
     * (Unix sockets allow about 100 bytes).
     *
     * @throws IOException when ssh-agent is missing or does not come up
     */
    public static OpenSshAgent start(Path socket) throws IOException {
        Process process = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        OpenSshAgent agent = new OpenSshAgent(process, socket);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                agent.close();
                throw new IOException("ssh-agent did not create " + socket + " (is openssh-client installed?)");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent.close();
                throw new IOException("interrupted while starting ssh-agent", e);
            }
        }
        return agent;
    }

    /** The agent's socket, the value for {@code SSH_AUTH_SOCK}. */
    public Path socket() {
        return socket;
    }

    /** The environment a client of this agent needs: {@code SSH_AUTH_SOCK}. */
    public Map<String, String> env() {
        return Map.of("SSH_AUTH_SOCK", socket.toString());
    }

    /** Adds an unencrypted private key, as {@code ssh-add KEY} does. */
    public void add(Path privateKey) throws IOException {
        ChildProcesses.run(List.of("ssh-add", privateKey.toString()), env(), "ssh-add " + privateKey);
    }

    /** Stops the agent and waits for it. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
