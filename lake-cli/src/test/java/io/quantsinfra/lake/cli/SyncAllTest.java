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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --all}: every enabled profile, past failures, with the worst exit code; several at
 * once, each report printed whole, or one after the other with {@code --jobs 1}.
 */
@ExtendWith(SftpServerExtension.class)
class SyncAllTest {
    private static final int DEAD_HOST_TIMEOUT_SECONDS = 4;

    @TempDir
    Path dir;

    /** A port on 127.0.0.1 nobody listens on (it was bound a moment ago and closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void all_syncsEveryReachableProfile_reportsTheUnreachableOne_skipsDisabled_exitsWithTheWorstCode(SftpTestServer server)
            throws IOException {
        Path remote = server.servedRoot();
        SampleLake.builder().partsPerDay(2).seed(1).writeTo(remote.resolve("a"));
        SampleLake.builder().partsPerDay(3).seed(2).writeTo(remote.resolve("b"));
        int closed = closedPort();
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("alpha", server).remoteRoot = "/a";
        config.profile("down", server).port = closed;
        config.profile("beta", server).remoteRoot = "/b";
        config.profile("off", server).enabled = false;
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--config", file.toString());

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        r.assertReport("alpha",
                Pattern.quote(SyncCommandTest.RULE),
                "Remote:  lake@127\\.0\\.0\\.1:/a \\(port " + server.port() + "\\)",
                "Last sync: never",
                "Files transferred: 2",
                "✓ Sync completed successfully");
        r.assertReport("down",
                Pattern.quote(SyncCommandTest.RULE),
                "Remote:  lake@127\\.0\\.0\\.1:/ \\(port " + closed + "\\)");
        assertTrue(r.err().contains("✗ Sync failed: cannot connect to lake@127.0.0.1:" + closed), "errors go to stderr: " + r);
        assertTrue(r.err().contains("  hint: check host and port"), r::toString);
        r.assertReport("beta",
                Pattern.quote(SyncCommandTest.RULE),
                "Files transferred: 3",
                "✓ Sync completed successfully");
        assertFalse(r.out().contains("Profile: off"), r::toString);
        assertEquals(2, r.lines().stream().filter(l -> l.equals("✓ Sync completed successfully")).count(), r::toString);

        assertEquals(TreeSnapshot.files(remote.resolve("a")), TreeSnapshot.files(dir.resolve("lake/alpha")));
        assertEquals(TreeSnapshot.files(remote.resolve("b")), TreeSnapshot.files(dir.resolve("lake/beta")));
        assertFalse(Files.exists(dir.resolve("lake/down")), "nothing was mirrored for the unreachable profile");
        assertFalse(Files.exists(dir.resolve("lake/off")), "a disabled profile is not synced");
        assertFalse(Files.exists(dir.resolve("lake/.checkpoints/off.json")), "a disabled profile is not touched");
        ObjectMapper json = new ObjectMapper();
        assertEquals("failed", json.readTree(dir.resolve("lake/.checkpoints/down.json").toFile())
                .get("last_sync_status").asText());
        assertEquals("success", json.readTree(dir.resolve("lake/.checkpoints/beta.json").toFile())
                .get("last_sync_status").asText());
    }

    @Test
    void all_exits0_whenEveryEnabledProfileWorks_evenIfADisabledOneIsUnreachable(SftpTestServer server) throws IOException {
        SampleLake.builder().seed(3).writeTo(server.servedRoot());
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("up", server);
        LakeConfigFile.ProfileYaml off = config.profile("off", server);
        off.enabled = false;
        off.port = closedPort();
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--config", file.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        r.assertLinesInOrder("Profile: up", "Files transferred: 1", "✓ Sync completed successfully");
        assertFalse(r.out().contains("off"), r::toString);
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(dir.resolve("lake/up")));
    }

    @Test
    void all_aSymlinkedProfileDirectory_failsThatProfileWithExit5_theOthersRun_andTheJsonIsPrinted(SftpTestServer server)
            throws IOException {
        SampleLake.builder().seed(4).writeTo(server.servedRoot());
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(dir.resolve("lake"));
        Files.createSymbolicLink(dir.resolve("lake/linked"), outside);
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("linked", server).rsyncArgs = "-a --partial --delete";
        config.profile("plain", server);
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--format", "json", "--config", file.toString());

        assertEquals(ExitCode.LOCAL_STORAGE, r.code(), r::toString);
        com.fasterxml.jackson.databind.JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("failed", doc.at("/profiles/0/status").asText(), r::toString);
        assertEquals(ExitCode.LOCAL_STORAGE, doc.at("/profiles/0/exit_code").asInt());
        assertTrue(doc.at("/profiles/0/error").asText().contains("is a symlink"), r::toString);
        assertEquals("success", doc.at("/profiles/1/status").asText(), r::toString);
        assertEquals(ExitCode.LOCAL_STORAGE, doc.get("exit_code").asInt());
        try (java.util.stream.Stream<Path> nothing = Files.list(outside)) {
            assertEquals(0, nothing.count(), "nothing was written through the link");
        }
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(dir.resolve("lake/plain")));
    }

    @Test
    void jobs1_syncsOneAfterTheOther_inConfigOrder(SftpTestServer server) throws IOException {
        SampleLake.builder().partsPerDay(2).seed(5).writeTo(server.servedRoot().resolve("a"));
        SampleLake.builder().partsPerDay(3).seed(6).writeTo(server.servedRoot().resolve("b"));
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("zulu", server).remoteRoot = "/a";
        config.profile("alpha", server).remoteRoot = "/b";
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "zulu", "alpha", "--jobs", "1", "--config", file.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        r.assertLinesInOrder("Profile: zulu", "Files transferred: 2", "✓ Sync completed successfully", "",
                "Profile: alpha", "Files transferred: 3", "✓ Sync completed successfully");
    }

    @Test
    void atOnce_deadHostsFailSideBySide_theOthersSucceed_andTheJsonKeepsConfigOrder(SftpTestServer server) throws Exception {
        SampleLake.builder().partsPerDay(2).seed(7).writeTo(server.servedRoot());
        List<ServerSocket> silent = new ArrayList<>();
        try {
            LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
            config.profile("good1", server);
            for (int i = 1; i <= 3; i++) {
                // accepts TCP (the kernel completes the handshake) and never says a word
                ServerSocket s = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
                silent.add(s);
                LakeConfigFile.ProfileYaml dead = config.profile("dead" + i, server);
                dead.port = s.getLocalPort();
                dead.rsyncArgs = "-a --partial --contimeout=" + DEAD_HOST_TIMEOUT_SECONDS;
            }
            config.profile("good2", server);
            Path file = config.writeTo(dir.resolve("data_lake.yml"));

            long start = System.nanoTime();
            CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--format", "json", "--config", file.toString());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
            JsonNode doc = new ObjectMapper().readTree(r.out());
            List<String> order = new ArrayList<>();
            doc.get("profiles").forEach(p -> order.add(p.get("profile").asText() + ":" + p.get("status").asText()));
            assertEquals(List.of("good1:success", "dead1:failed", "dead2:failed", "dead3:failed", "good2:success"), order, r::toString);
            for (int i = 1; i <= 3; i++) {
                assertEquals(ExitCode.CONNECTION, doc.at("/profiles/" + i + "/exit_code").asInt(), r::toString);
            }
            // one after the other, the three would take three timeouts
            assertTrue(seconds < 2 * DEAD_HOST_TIMEOUT_SECONDS, seconds + " s\n" + r);
            assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(dir.resolve("lake/good2")));
        } finally {
            for (ServerSocket s : silent) {
                s.close();
            }
        }
    }

    @Test
    void jobs0_isAUsageError(SftpTestServer server) throws IOException {
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("p", server);
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--jobs", "0", "--config", file.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertTrue(r.all().contains("--jobs must be at least 1"), r::toString);
    }

    @Test
    void logFile_appendsATimestampedLinePerEvent_perProfile_runAfterRun(SftpTestServer server) throws IOException {
        SampleLake.builder().partsPerDay(2).seed(8).writeTo(server.servedRoot());
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("alpha", server);
        config.profile("down", server).port = closedPort();
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        for (int run = 1; run <= 2; run++) {
            CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "-q", "--log-file", "sync.log",
                    "--config", file.toString());
            assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        }

        List<String> lines = Files.readAllLines(dir.resolve("sync.log"));
        String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\[" + ProcessHandle.current().pid() + "\\] ";
        assertTrue(lines.stream().allMatch(l -> l.matches(stamp + "(alpha|down): .*")), lines::toString);
        assertEquals(2, lines.stream().filter(l -> l.endsWith("alpha: sync started")).count(), lines::toString);
        assertEquals(1, lines.stream().filter(l -> l.matches(stamp + "alpha: ✓ Sync completed successfully \\(2 files, .*; exit 0\\)"))
                .count(), lines::toString);
        assertEquals(1, lines.stream().filter(l -> l.matches(stamp + "alpha: ✓ Sync completed successfully \\(0 files, .*; exit 0\\)"))
                .count(), "the second run found nothing new: " + lines);
        assertEquals(2, lines.stream().filter(l -> l.matches(stamp + "down: ✗ Sync failed: cannot connect to .*\\(exit 3\\)"))
                .count(), lines::toString);
    }

    @Test
    void logFile_thatCannotBeOpened_exits5_beforeAnySync(SftpTestServer server) throws IOException {
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("p", server);
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = new CliRunner(dir).run("data-lake", "sync", "--all", "--log-file", "no/such/dir/sync.log",
                "--config", file.toString());

        assertEquals(ExitCode.LOCAL_STORAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("✗ cannot open the --log-file "), r::toString);
        assertFalse(Files.exists(dir.resolve("lake/p")), "nothing synced");
    }
}
