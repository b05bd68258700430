package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the OpenSSH tools the testkit drives (ssh-keygen, ssh-add) and stops the daemons it starts (sshd, ssh-agent). */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * Runs {@code command} with {@code env} added to this process's environment.
     *
     * @return its output (stdout and stderr)
     * @throws IOException when it fails or takes over 30 s, with its output
     */
    static String run(List<String> command, Map<String, String> env, String what) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(what + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + what, e);
        }
        return out;
    }

    /** Stops a daemon and waits for it: SIGTERM, then SIGKILL after 5 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
