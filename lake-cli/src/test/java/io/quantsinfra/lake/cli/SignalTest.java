package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM of a real CLI process mid-transfer: exit 130 as the JSON says, interrupted checkpoint,
 * partial kept, the next run resumes.
 */
class SignalTest {
    private static final int SIZE = 8 * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void sigterm_recordsInterrupted_andTheNextRunResumes() throws Exception {
        Path remote = tmp.resolve("remote");
        Files.createDirectories(remote.resolve("d"));
        SampleLake.writeFile(remote.resolve("d/big.parquet"), SIZE, 3);
        try (SftpTestServer server = SftpTestServer.builder(remote).keyDirectory(tmp.resolve("keys")).start()) {
            Path config = tmp.resolve("lake.yml");
            Files.writeString(config, "data_lake:\n"
                    + "  root_dir: " + tmp.resolve("lake") + "\n"
                    + "  profiles:\n"
                    + "    p:\n"
                    + "      source: {type: ssh, host: 127.0.0.1, port: " + server.port() + ", user: " + server.user()
                    + ", ssh_key: " + server.clientKeyFile() + ", known_hosts: " + server.knownHostsFile() + ", remote_root: /}\n"
                    + "      local_subdir: mirror\n"
                    + "      rsync_args: -a --partial --bwlimit=2M\n");
            Path partial = tmp.resolve("lake/mirror/d/.big.parquet.lake-part");
            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "data-lake", "sync", "p", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("cli.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((!Files.exists(partial) || Files.size(partial) < 1024 * 1024) && System.nanoTime() < deadline && cli.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(partial), Files.readString(tmp.resolve("cli.log")));
            cli.destroy(); // SIGTERM
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(tmp.resolve("cli.log"));
            assertEquals(ExitCode.INTERRUPTED, cli.exitValue(), "SIGTERM exits 130, as the JSON says: " + log);
            assertTrue(log.contains("✗ Sync interrupted; the next run resumes where this one stopped"), log);

            JsonNode checkpoint = new ObjectMapper().readTree(tmp.resolve("lake/.checkpoints/p.json").toFile());
            assertEquals("interrupted", checkpoint.get("last_sync_status").asText());
            assertEquals("d/big.parquet", checkpoint.get("partials").get(0).get("path").asText());
            long held = Files.size(partial);
            assertTrue(held > 0 && held < SIZE);
            assertFalse(Files.exists(tmp.resolve("lake/mirror/d/big.parquet")), "nothing torn under the final name");

            Files.writeString(config, Files.readString(config).replace(" --bwlimit=2M", ""));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Cli(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                    Map.of(), tmp, () -> ZoneOffset.UTC)).run("data-lake", "sync", "p", "--config", config.toString());
            String second = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, second);
            assertTrue(second.contains("(incomplete)") || second.contains("(interrupted)"), second);
            assertTrue(second.contains("Resuming from checkpoint..."), second);
            assertTrue(second.contains("Files transferred: 1 (resumed)"), second);
            assertEquals(SampleLakeDigest.of(remote.resolve("d/big.parquet")), SampleLakeDigest.of(tmp.resolve("lake/mirror/d/big.parquet")));
        }
    }

    @Test
    void sigterm_duringProfilesAtOnce_recordsEachInterrupted_andOneNotStartedSaysSo() throws Exception {
        Path remote = tmp.resolve("remote");
        for (String p : List.of("p1", "p2", "p3")) {
            Files.createDirectories(remote.resolve(p + "/d"));
            SampleLake.writeFile(remote.resolve(p + "/d/big.parquet"), SIZE, 4);
        }
        try (SftpTestServer server = SftpTestServer.builder(remote).keyDirectory(tmp.resolve("keys")).start()) {
            Path config = tmp.resolve("lake.yml");
            StringBuilder yaml = new StringBuilder("data_lake:\n  root_dir: " + tmp.resolve("lake") + "\n  profiles:\n");
            for (String p : List.of("p1", "p2", "p3")) {
                yaml.append("    ").append(p).append(":\n")
                        .append("      source: {type: ssh, host: 127.0.0.1, port: ").append(server.port()).append(", user: ")
                        .append(server.user()).append(", ssh_key: ").append(server.clientKeyFile()).append(", known_hosts: ")
                        .append(server.knownHostsFile()).append(", remote_root: /").append(p).append("}\n")
                        .append("      local_subdir: ").append(p).append("\n")
                        .append("      rsync_args: -a --partial --bwlimit=1M\n");
            }
            Files.writeString(config, yaml.toString());
            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "data-lake", "sync", "--all", "--jobs", "2", "--format", "json", "--config", config.toString())
                    .redirectError(tmp.resolve("cli.err").toFile()).redirectOutput(tmp.resolve("cli.out").toFile()).start();
            List<Path> partials = List.of(tmp.resolve("lake/p1/d/.big.parquet.lake-part"), tmp.resolve("lake/p2/d/.big.parquet.lake-part"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!partials.stream().allMatch(SignalTest::holdsData) && System.nanoTime() < deadline && cli.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(partials.stream().allMatch(SignalTest::holdsData), Files.readString(tmp.resolve("cli.err")));
            cli.destroy(); // SIGTERM
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
            assertEquals(ExitCode.INTERRUPTED, cli.exitValue(), Files.readString(tmp.resolve("cli.err")));

            JsonNode doc = new ObjectMapper().readTree(tmp.resolve("cli.out").toFile());
            assertEquals(ExitCode.INTERRUPTED, doc.get("exit_code").asInt(), "the process and the JSON agree");
            for (int i = 0; i < 3; i++) {
                assertEquals("p" + (i + 1), doc.at("/profiles/" + i + "/profile").asText(), doc::toString);
                assertEquals("interrupted", doc.at("/profiles/" + i + "/status").asText(), doc::toString);
                assertEquals(130, doc.at("/profiles/" + i + "/exit_code").asInt(), doc::toString);
            }
            assertEquals("interrupted before it started", doc.at("/profiles/2/error").asText(), doc::toString);
            for (String p : List.of("p1", "p2")) {
                JsonNode checkpoint = new ObjectMapper().readTree(tmp.resolve("lake/.checkpoints/" + p + ".json").toFile());
                assertEquals("interrupted", checkpoint.get("last_sync_status").asText(), p);
                assertFalse(Files.exists(tmp.resolve("lake/" + p + "/d/big.parquet")), "nothing torn under the final name");
            }
            assertFalse(Files.exists(tmp.resolve("lake/.checkpoints/p3.json")), "a profile that never started is not touched");
        }
    }

    private static boolean holdsData(Path partial) {
        try {
            return Files.exists(partial) && Files.size(partial) >= 256 * 1024;
        } catch (IOException e) {
            return false;
        }
    }

    /** SHA-256 of a file, hex. */
    private static final class SampleLakeDigest {
        static String of(Path p) throws IOException {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
