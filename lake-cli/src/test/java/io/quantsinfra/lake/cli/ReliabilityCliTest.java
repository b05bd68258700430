package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.FaultProxy;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection through the real command line: kill -9 of a CLI process at several moments, two runs of one
 * profile at once, {@code sync --all} over 20 profiles, and fuzzed config files. See docs/RELIABILITY.md.
 */
@Tag("reliability")
class ReliabilityCliTest {
    @TempDir
    Path tmp;

    private SftpTestServer server;
    private FaultProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Path remote() {
        return tmp.resolve("remote");
    }

    private void start(SftpEventListener... listeners) throws IOException {
        SftpTestServer.Builder b = SftpTestServer.builder(remote()).keyDirectory(tmp.resolve("keys"));
        for (SftpEventListener l : listeners) {
            b.sftpEventListener(l);
        }
        server = b.start();
        proxy = FaultProxy.start(0, server.port());
    }

    /** Two 4 MiB files and 60 small ones in six directories. */
    private void writeTree() throws IOException {
        Files.createDirectories(remote().resolve("big"));
        SampleLake.writeFile(remote().resolve("big/a.parquet"), 4 * 1024 * 1024, 1);
        SampleLake.writeFile(remote().resolve("big/b.parquet"), 4 * 1024 * 1024, 2);
        for (int i = 0; i < 60; i++) {
            Path f = remote().resolve("d" + (i % 6) + "/s" + i + ".parquet");
            Files.createDirectories(f.getParent());
            SampleLake.writeFile(f, 20_000 + 100L * i, 10 + i);
        }
    }

    /** A config with profile "p" through the proxy (host key learnt on first use). */
    private Path config(String rsyncArgs) throws IOException {
        LakeConfigFile file = new LakeConfigFile(tmp.resolve("lake"));
        LakeConfigFile.ProfileYaml p = file.profile("p", server);
        p.port = proxy.port();
        p.knownHosts = tmp.resolve("known_hosts");
        p.hostKeyPolicy = "accept-new";
        p.rsyncArgs = rsyncArgs;
        p.localSubdir = "mirror";
        return file.writeTo(tmp.resolve("lake.yml"));
    }

    private Process startCli(Path config, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "data-lake"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("--config", config.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("cli.log").toFile()).start();
    }

    private static void await(String what, BooleanSupplier condition, Process cli) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            assertTrue(cli == null || cli.isAlive(), "the CLI ended before " + what);
            Thread.sleep(10);
        }
    }

    private static boolean exists(Path p) {
        return Files.exists(p);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file not hidden by name (no partials, no staging), with its hash. */
    private static Map<String, String> visibleFiles(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    out.put(root.relativize(p).toString(), sha256(p));
                }
            }
        }
        return out;
    }

    /** Files under a final name in the lake of a run still going on (files appear and vanish meanwhile). */
    private long publishedCount() {
        Path root = tmp.resolve("lake/mirror");
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".parquet"))
                    .count();
        } catch (IOException | RuntimeException e) {
            return 0; // a staging file was renamed under the walk: poll again
        }
    }

    /** Kills the CLI with SIGKILL, then checks what it left and that the next run repairs everything. */
    private void killAndRecover(Process cli, Path config) throws Exception {
        cli.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, cli.exitValue(), Files.readString(tmp.resolve("cli.log")));
        proxy.latency(Duration.ZERO).bandwidth(0);

        Map<String, String> source = visibleFiles(remote());
        Map<String, String> left = visibleFiles(tmp.resolve("lake/mirror"));
        left.forEach((rel, hash) -> assertEquals(source.get(rel), hash, "torn or foreign file under a final name: " + rel));
        JsonNode checkpoint = new ObjectMapper().readTree(tmp.resolve("lake/.checkpoints/p.json").toFile());
        assertEquals("running", checkpoint.get("last_sync_status").asText(), checkpoint.toString());

        CliRunner.Result next = new CliRunner(tmp).run("data-lake", "sync", "p", "--config", config.toString());
        assertEquals(ExitCode.OK, next.code(), next::toString);
        assertTrue(next.out().contains("(incomplete)"), next.out());
        assertTrue(next.out().contains("✓ Sync completed successfully"), next.out());
        assertEquals(source, visibleFiles(tmp.resolve("lake/mirror")));
        assertEquals("success", new ObjectMapper().readTree(tmp.resolve("lake/.checkpoints/p.json").toFile())
                .get("last_sync_status").asText());
    }

    @Test
    void kill9_duringConnectAndListing_leavesNothingTorn_andTheNextRunCompletes() throws Exception {
        AtomicInteger dirsOpened = new AtomicInteger();
        start(new SftpEventListener() {
            @Override
            public void open(ServerSession session, String remoteHandle, Handle localHandle) {
                if (localHandle instanceof DirectoryHandle) {
                    dirsOpened.incrementAndGet();
                }
            }
        });
        writeTree();
        Path config = config("-a --partial");
        proxy.latency(Duration.ofMillis(150)); // every round trip takes 300 ms: the listing goes on for a while
        Process cli = startCli(config, "sync", "p");
        await("the listing", () -> dirsOpened.get() > 0, cli);
        Thread.sleep(100);
        assertTrue(dirsOpened.get() < 8, "still listing: " + dirsOpened.get() + " of 8 directories opened");
        assertEquals(0, publishedCount(), "killed before the first file");
        killAndRecover(cli, config);
    }

    @Test
    void kill9_midFile_leavesOnlyThePartial_andTheNextRunCompletes() throws Exception {
        start();
        writeTree();
        Path config = config("-a --partial --bwlimit=4M");
        Process cli = startCli(config, "sync", "p");
        Path partA = tmp.resolve("lake/mirror/big/.a.parquet.lake-part");
        Path partB = tmp.resolve("lake/mirror/big/.b.parquet.lake-part");
        await("half a megabyte of a big file", () -> size(partA) > 512 * 1024 || size(partB) > 512 * 1024, cli);
        killAndRecover(cli, config);
    }

    @Test
    void kill9_whileSmallFilesArePublished_leavesNothingTorn_andTheNextRunCompletes() throws Exception {
        start();
        writeTree();
        Path config = config("-a --partial --bwlimit=2M");
        Process cli = startCli(config, "sync", "p");
        await("some small files published", () -> publishedCount() >= 10, cli);
        killAndRecover(cli, config);
    }

    @Test
    void twoRunsOfOneProfile_theSecondExits4_cleanupExits4_andTheFirstFinishes() throws Exception {
        start();
        writeTree();
        Path config = config("-a --partial --bwlimit=8M");
        Process first = startCli(config, "sync", "p");
        Path partA = tmp.resolve("lake/mirror/big/.a.parquet.lake-part");
        Path partB = tmp.resolve("lake/mirror/big/.b.parquet.lake-part");
        await("the first run transferring", () -> exists(partA) || exists(partB), first);

        CliRunner.Result second = new CliRunner(tmp).run("data-lake", "sync", "p", "--config", config.toString());
        assertEquals(ExitCode.LOCKED, second.code(), second::toString);
        CliRunner.Result cleanup = new CliRunner(tmp).run("data-lake", "cleanup", "p", "--config", config.toString());
        assertEquals(ExitCode.LOCKED, cleanup.code(), cleanup::toString);

        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("cli.log")));
        assertEquals(visibleFiles(remote()), visibleFiles(tmp.resolve("lake/mirror")));
    }

    @Test
    void syncAll_twentyProfilesAgainstOneServer_everyTreeIdentical() throws Exception {
        start();
        LakeConfigFile file = new LakeConfigFile(tmp.resolve("lake"));
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 5; j++) {
                Path f = remote().resolve("src" + i + "/day" + (j % 2) + "/part" + j + ".parquet");
                Files.createDirectories(f.getParent());
                SampleLake.writeFile(f, 10_000 + 1000L * i + j, 100L * i + j);
            }
            file.profile("p" + i, server).remoteRoot = "/src" + i;
        }
        Path config = file.writeTo(tmp.resolve("all.yml"));
        CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(90),
                () -> new CliRunner(tmp).run("data-lake", "sync", "--all", "--config", config.toString()));
        assertEquals(ExitCode.OK, r.code(), r::toString);
        for (int i = 0; i < 20; i++) {
            assertEquals(visibleFiles(remote().resolve("src" + i)), visibleFiles(tmp.resolve("lake/p" + i)), "profile p" + i);
        }
    }

    private static final String[] INSERTS = {"\t", ":", ": ", "[", "]", "{", "}", "- ", "'", "\"", "#", "&a ", "*a", "!!str ",
        "é", "\u202e", "\u0000", "日本", "\uFEFF", "? ", "|", ">", "%", "@", "`", "\r", "\n  ", "~", "..", "-1", "99999999999"};

    /** Applies one to three seeded mutations to the text. */
    private static String mutate(String text, Random r) {
        String s = text;
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
            int pos = s.isEmpty() ? 0 : r.nextInt(s.length());
            int line = r.nextInt(lines.size());
            switch (r.nextInt(8)) {
                case 0 -> s = s.isEmpty() ? s : s.substring(0, pos) + s.substring(pos + 1);
                case 1 -> s = s.isEmpty() ? s : s.substring(0, pos) + s.charAt(pos) + s.substring(pos);
                case 2 -> s = pos + 1 >= s.length() ? s : s.substring(0, pos) + s.charAt(pos + 1) + s.charAt(pos) + s.substring(pos + 2);
                case 3 -> {
                    lines.remove(line);
                    s = String.join("\n", lines);
                }
                case 4 -> {
                    lines.add(line, lines.get(line));
                    s = String.join("\n", lines);
                }
                case 5 -> {
                    int other = r.nextInt(lines.size());
                    String t = lines.get(line);
                    lines.set(line, lines.get(other));
                    lines.set(other, t);
                    s = String.join("\n", lines);
                }
                default -> s = s.substring(0, pos) + INSERTS[r.nextInt(INSERTS.length)] + s.substring(pos);
            }
        }
        return s;
    }

    @Test
    void fuzzedConfigs_validateNeverCrashesNorHangs_andExitsOnly0Or2() throws Exception {
        String example = Files.readString(Path.of("../config/data_lake.example.yml"));
        Random random = new Random(4242);
        Path file = tmp.resolve("fuzz.yml");
        int valid = 0;
        for (int i = 0; i < 300; i++) {
            String mutated = mutate(example, random);
            Files.writeString(file, mutated);
            CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> new CliRunner(tmp).run("data-lake", "validate", "--config", file.toString()),
                    "case " + i + " hangs");
            String all = r.out() + r.err() + r.processErr();
            String context = "case " + i + ":\n" + mutated + "\n---\n" + r;
            assertTrue(r.code() == ExitCode.OK || r.code() == ExitCode.USAGE, context);
            assertFalse(all.contains("\tat ") || all.matches("(?s).*\\b\\w+(Exception|Error)\\b.*"), context);
            valid += r.code() == ExitCode.OK ? 1 : 0;
        }
        assertTrue(valid > 0 && valid < 300, "mutations both keep and break validity: " + valid + " valid");
    }
}
