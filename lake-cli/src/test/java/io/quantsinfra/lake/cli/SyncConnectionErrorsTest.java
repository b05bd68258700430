package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} when the host key, the credentials or remote_root are wrong, or the host does not
 * answer: exit 3, a fix, nothing written.
 */
@ExtendWith(SftpServerExtension.class)
class SyncConnectionErrorsTest {
    @TempDir
    Path dir;

    private SftpTestServer server;
    private LakeConfigFile config;
    private LakeConfigFile.ProfileYaml profile;

    @BeforeEach
    void setUp(SftpTestServer server) throws IOException {
        this.server = server;
        SampleLake.builder().partsPerDay(3).seed(4).writeTo(server.servedRoot());
        config = new LakeConfigFile(dir.resolve("lake"));
        profile = config.profile("p", server);
    }

    private CliRunner.Result sync(String... extra) throws IOException {
        Path file = config.writeTo(dir.resolve("data_lake.yml"));
        List<String> args = new java.util.ArrayList<>(List.of("data-lake", "sync", "p", "--config", file.toString()));
        args.addAll(List.of(extra));
        return new CliRunner(dir).run(args.toArray(String[]::new));
    }

    private String where() {
        return "lake@127.0.0.1:" + server.port();
    }

    /** The profile directory is absent or empty. */
    private void assertNothingMirrored() throws IOException {
        Path local = dir.resolve("lake/p");
        if (Files.exists(local)) {
            try (Stream<Path> entries = Files.list(local)) {
                assertEquals(List.of(), entries.toList(), "nothing may be written to the lake");
            }
        }
    }

    /** The one-line ✗ message and hint are all the user sees: no library log lines or stack traces without -v. */
    private static void assertNoLibraryNoise(CliRunner.Result r) {
        assertEquals(2, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("✗ Sync failed: ") && r.err().contains("\n  hint: "), "stderr holds the error and its hint alone: " + r);
        assertEquals("", r.clientLibraryErr(), r::toString);
    }

    private void assertCheckpointFailed(String messagePart) throws IOException {
        JsonNode cp = new ObjectMapper().readTree(dir.resolve("lake/.checkpoints/p.json").toFile());
        assertEquals("failed", cp.get("last_sync_status").asText());
        assertEquals(0, cp.get("files_transferred").asLong());
        assertTrue(cp.get("errors").toString().contains(messagePart), cp.toString());
    }

    @Test
    void unknownHostKey_exits3_withTheSshKeyscanCommand_andWritesNothing() throws IOException {
        // The server's key, but recorded for another host: 127.0.0.1:port itself is unknown.
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine("192.0.2.1", 22) + "\n");
        profile.knownHosts = knownHosts;

        CliRunner.Result r = sync();

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: unknown host " + where() + ": its key is not in " + knownHosts), r::toString);
        assertTrue(r.err().contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + knownHosts), r::toString);
        assertTrue(r.err().contains("host_key_policy: accept-new"), r::toString);
        assertFalse(r.out().contains("Files transferred"), r::toString);
        assertNothingMirrored();
        assertNoLibraryNoise(r);
        assertEquals(server.knownHostsLine("192.0.2.1", 22) + "\n", Files.readString(knownHosts), "strict never writes");
        assertCheckpointFailed("unknown host");
    }

    @Test
    void unknownHostKey_withVerbose_printsTheCauseChain() throws IOException {
        profile.knownHosts = Files.writeString(dir.resolve("known_hosts"), "");

        CliRunner.Result r = sync("--verbose");

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: unknown host " + where()), r::toString);
        assertTrue(r.err().contains("Caused by: net.schmizz.sshj.transport.TransportException: [HOST_KEY_NOT_VERIFIABLE]"),
                r::toString);
    }

    @Test
    void acceptNew_recordsTheHostKeyOnFirstContact_thenStrictPasses() throws IOException {
        Path knownHosts = dir.resolve("ssh/known_hosts");
        profile.knownHosts = knownHosts;
        profile.hostKeyPolicy = "accept-new";

        CliRunner.Result first = sync();

        assertEquals(ExitCode.OK, first.code(), first::toString);
        first.assertLinesInOrder("Files transferred: 3", "✓ Sync completed successfully");
        assertEquals(List.of(server.knownHostsLine()), Files.readAllLines(knownHosts));
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(dir.resolve("lake/p")));

        profile.hostKeyPolicy = null;
        CliRunner.Result strict = sync();

        assertEquals(ExitCode.OK, strict.code(), strict::toString);
        strict.assertLinesInOrder("Files transferred: 0", "✓ Sync completed successfully");
        assertEquals(List.of(server.knownHostsLine()), Files.readAllLines(knownHosts), "a known host is not added twice");
    }

    @Test
    void changedHostKey_exits3_HostKeyChanged_evenWithAcceptNew_andWritesNothing() throws IOException {
        Path knownHosts;
        try (SftpTestServer impostor = SftpTestServer.builder(dir.resolve("other-root")).start()) {
            // Another key on record for exactly this host and port.
            knownHosts = Files.writeString(dir.resolve("known_hosts"),
                    impostor.knownHostsLine("127.0.0.1", server.port()) + "\n");
        }
        String before = Files.readString(knownHosts);
        profile.knownHosts = knownHosts;
        profile.hostKeyPolicy = "accept-new";

        CliRunner.Result r = sync();

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: HOST KEY CHANGED for " + where()), r::toString);
        assertTrue(r.err().contains("ssh-keygen -R '[127.0.0.1]:" + server.port() + "' -f " + knownHosts), r::toString);
        assertFalse(r.out().contains("Files transferred"), r::toString);
        assertNothingMirrored();
        assertNoLibraryNoise(r);
        assertEquals(before, Files.readString(knownHosts), "a changed key is never overwritten");
        assertCheckpointFailed("HOST KEY CHANGED");
    }

    @Test
    void revokedHostKey_exits3_evenWithAPlainLineForIt_andWritesNothing() throws IOException {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                server.knownHostsLine() + "\n@revoked " + server.knownHostsLine() + "\n");
        profile.knownHosts = knownHosts;

        CliRunner.Result r = sync();

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: the host key of " + where() + " (SHA256:"), r::toString);
        assertTrue(r.err().contains(") is marked @revoked in " + knownHosts + "; refusing to connect"), r::toString);
        assertNothingMirrored();
        assertNoLibraryNoise(r);
        assertCheckpointFailed("is marked @revoked");
    }

    @Test
    void hostThatAcceptsTcpButNeverSpeaks_exits3_atTheContimeout_namingTheStage() throws IOException {
        // A listener that never accepts: the kernel completes the TCP handshake, and nothing more comes.
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            profile.port = mute.getLocalPort();
            profile.rsyncArgs = "-a --contimeout=2";
            long start = System.nanoTime();

            CliRunner.Result r = sync();

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "took " + took);
            assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
            assertTrue(r.err().contains("✗ Sync failed: no SSH identification from lake@127.0.0.1:" + mute.getLocalPort()
                    + " within 2 s"), r::toString);
            assertTrue(r.err().contains("the bound is --contimeout in rsync_args"), r::toString);
            assertNothingMirrored();
            assertNoLibraryNoise(r);
            assertCheckpointFailed("no SSH identification");
        }
    }

    @Test
    void missingKeyFile_exits3_namingThePath() throws IOException {
        Path missing = dir.resolve("keys/no_such_key");
        profile.sshKey = missing;

        CliRunner.Result r = sync();

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: the key file " + missing + " does not exist"), r::toString);
        assertTrue(r.err().contains("  hint: set source.ssh_key"), r::toString);
        assertNothingMirrored();
    }

    @Test
    void keyTheServerDoesNotAccept_exits3_authenticationFailed() throws IOException {
        try (SftpTestServer other = SftpTestServer.builder(dir.resolve("other-root"))
                .keyDirectory(dir.resolve("other-keys")).start()) {
            profile.sshKey = other.clientKeyFile();
        }

        CliRunner.Result r = sync();

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: authentication failed for " + where() + " with key "
                + dir.resolve("other-keys/id_ed25519")), r::toString);
        assertTrue(r.err().contains("authorized_keys"), r::toString);
        assertNothingMirrored();
        assertCheckpointFailed("authentication failed");
    }

    @Test
    void missingRemoteRoot_exits3_mentioningRemoteRoot() throws IOException {
        profile.remoteRoot = "/no/such/dir";

        CliRunner.Result r = sync();

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: remote_root /no/such/dir does not exist on " + where()), r::toString);
        assertTrue(r.err().contains("  hint: check source.remote_root"), r::toString);
        assertNothingMirrored();
        assertCheckpointFailed("remote_root /no/such/dir");
    }
}
