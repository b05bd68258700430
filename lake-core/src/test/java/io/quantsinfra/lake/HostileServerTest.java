package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.testkit.HostileNames;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security rules of a sync against a hostile server and a tampered local lake: remote names and links
 * never lead outside the profile directory, local links are never written through, and failures are reported
 * and block deletion.
 */
@ExtendWith(SftpServerExtension.class)
@Timeout(30)
class HostileServerTest {
    private static final String DAY_DIR = "gate_io_BTC-USDT_20250131";

    /** Holds the lake and a bystander directory outside it; the whole tree is compared around a sync. */
    @TempDir
    Path work;
    private Path lake;
    private Path mirror;
    private Path outside;
    private SftpTestServer server;

    @BeforeEach
    void layOut(SftpTestServer server) throws IOException {
        this.server = server;
        lake = work.resolve("lake");
        mirror = Files.createDirectories(lake.resolve("mirror"));
        outside = Files.createDirectories(work.resolve("outside"));
        SampleLake.writeFile(outside.resolve("victim.parquet"), 5_000, 99);
        SampleLake.writeFile(Files.createDirectories(outside.resolve("sub")).resolve("kept.parquet"), 3_000, 98);
    }

    @Test
    void hostileNamesAreRefusedReportedNeverFetchedAndBlockDeletion() throws IOException {
        SampleLake.builder().days(2).partsPerDay(2).partSize(10_000, 40_000).seed(3).writeTo(server.servedRoot());
        List<String> names = new ArrayList<>(HostileNames.all());
        names.addAll(List.of(outside.resolve("planted.parquet").toString(), "../../outside/planted.parquet",
                "..\\..\\outside\\planted.parquet", "part_00001.parquet" + NameRules.TEMP_SUFFIX));
        server.injectFiles("/", names);
        server.injectFiles("/" + DAY_DIR, names);
        server.injectDirectories("/", List.of("../escape-dir", outside.toString()));
        SampleLake.writeFile(mirror.resolve("local-only.parquet"), 1_000, 5);
        Map<String, String> before = LakeFixture.snapshot(work);

        SyncReport report = sync("-a --partial --delete");

        assertEquals(Checkpoint.Status.PARTIAL, report.status(), report.errors().toString());
        Set<String> expected = new TreeSet<>();
        for (String name : names) {
            if (!name.equals(".") && !name.equals("..")) { // sshj drops these two itself
                expected.add(NameRules.printable(name));
                expected.add(DAY_DIR + "/" + NameRules.printable(name));
            }
        }
        expected.add(NameRules.printable("../escape-dir"));
        expected.add(NameRules.printable(outside.toString()));
        assertEquals(expected, report.errors().stream().map(PathError::path)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(expected.size(), report.errors().size(), report.errors().toString());
        assertTrue(report.errors().stream().allMatch(e -> e.message().startsWith("refused remote name in /")),
                report.errors().toString());
        assertEquals(0, server.injectedFileOpens(), "no hostile entry was ever opened");

        Map<String, String> after = LakeFixture.snapshot(work);
        assertEquals(List.of(), changedOutside(before, after, "lake/mirror", "lake/.checkpoints"));
        Map<String, String> expectedMirror = new TreeMap<>(LakeFixture.snapshot(server.servedRoot()));
        expectedMirror.put("local-only.parquet", before.get("lake/mirror/local-only.parquet"));
        assertEquals(expectedMirror, LakeFixture.snapshot(mirror), "legit files byte-identical, nothing else");

        assertEquals(List.of("local-only.parquet"),
                report.plan().deletions().stream().map(SyncPlan.Deletion::path).toList());
        assertEquals(0, report.filesDeleted());
        assertTrue(report.deletionBlocked().isPresent());
    }

    /**
     * Names that are not valid UTF-8 cannot be stored under the same name (the JDK names files with
     * Strings): each is skipped with its own warning, under a printable form that escapes its bad
     * bytes. Nothing local can stand for one, so unlike a listing error it does not block --delete.
     */
    @Test
    void namesThatAreNotUtf8_areSkippedWithAWarningEach_theRestSyncs_andDeleteStillWorks() throws IOException {
        SampleLake.builder().days(2).partsPerDay(2).partSize(10_000, 40_000).seed(4).writeTo(server.servedRoot());
        List<byte[]> names = List.of("bad\u00ff.parquet".getBytes(StandardCharsets.ISO_8859_1),
                "bad\u00fe.parquet".getBytes(StandardCharsets.ISO_8859_1));
        server.injectFilesNamedByBytes("/", names);
        server.injectFilesNamedByBytes("/" + DAY_DIR, names);
        SampleLake.writeFile(mirror.resolve("local-only.parquet"), 1_000, 5);
        List<String> warnings = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };

        // the local-only file is all the lake holds: the share guard would keep it
        SyncReport report = new DataLake(LakeFixture.config(server, lake, "-a --delete", p -> p.maxDeletePercent(100)))
                .sync("p", LakeFixture.options(), listener);

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(List.of(), report.errors());
        Set<String> bad = Set.of("bad\\xff.parquet", "bad\\xfe.parquet", DAY_DIR + "/bad\\xff.parquet",
                DAY_DIR + "/bad\\xfe.parquet");
        Map<String, String> skips = skips(report);
        assertEquals(bad, skips.keySet());
        assertTrue(skips.values().stream().allMatch(r -> r.equals(NameRules.NOT_TEXT)), skips.toString());
        assertEquals(bad, warnings.stream().map(w -> w.substring(1, w.indexOf(": "))).collect(Collectors.toSet()),
                warnings.toString());
        assertEquals(4, warnings.size(), "one warning per name: " + warnings);
        assertTrue(warnings.stream().allMatch(w -> w.endsWith("not valid UTF-8; it cannot be stored under the same"
                + " name here, skipped")), warnings.toString());
        assertEquals(0, server.injectedFileOpens());
        assertEquals(1, report.filesDeleted());
        assertTrue(report.deletionBlocked().isEmpty(), report.deletionBlocked().toString());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mirror),
                "the rest arrived byte-identical, the local-only file is deleted, nothing else is there");
    }

    @Test
    void remoteSymlinksLeavingTheTreeAreSkippedAndInsideOnesRecreatedWithA() throws IOException {
        Path root = server.servedRoot();
        SampleLake.writeFile(Files.createDirectories(root.resolve("data")).resolve("f.parquet"), 2_000, 1);
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("data/up"), Path.of("../../outside"));
        Files.createSymbolicLink(root.resolve("data/sibling.parquet"), Path.of("f.parquet"));
        Map<String, String> before = LakeFixture.snapshot(work);

        SyncReport report = sync("-a");

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        Map<String, String> skips = skips(report);
        assertEquals(Set.of("etc", "data/up"), skips.keySet());
        assertTrue(skips.values().stream().allMatch(r -> r.contains("points outside the profile directory")),
                skips.toString());
        Map<String, String> mirrored = LakeFixture.snapshot(mirror);
        assertEquals(Set.of("data", "data/f.parquet", "data/sibling.parquet"), mirrored.keySet());
        assertEquals("link->f.parquet", mirrored.get("data/sibling.parquet"));
        assertEquals(LakeFixture.snapshot(root.resolve("data")).get("f.parquet"), mirrored.get("data/f.parquet"));
        assertEquals(List.of(), changedOutside(before, LakeFixture.snapshot(work), "lake/mirror", "lake/.checkpoints"));
    }

    @Test
    void aChainOfLinksThatLooksInsideCannotLeadOutside() throws IOException {
        Path root = server.servedRoot();
        SampleLake.writeFile(Files.createDirectories(root.resolve("data")).resolve("f.parquet"), 2_000, 1);
        Files.createSymbolicLink(root.resolve("self"), Path.of("."));
        Files.createSymbolicLink(root.resolve("data/parent"), Path.of(".."));
        // Lexically 12 names down and 12 up, so inside; but every "self" is the root, so the ".."s climb out.
        Files.createSymbolicLink(root.resolve("etc"), Path.of("self/".repeat(12) + "../".repeat(12) + "etc"));
        Files.createSymbolicLink(root.resolve("data/up"), Path.of("parent/../outside"));
        Files.createSymbolicLink(root.resolve("data/ok"), Path.of("../data/./f.parquet"));

        SyncReport report = sync("-a");

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        Map<String, String> skips = skips(report);
        assertEquals(Set.of("etc", "data/up"), skips.keySet());
        assertTrue(skips.values().stream().allMatch(r -> r.contains("through the symlink")), skips.toString());
        Path realMirror = mirror.toRealPath();
        try (var all = Files.walk(mirror)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.exists(p)) {
                    assertTrue(p.toRealPath().startsWith(realMirror), p + " resolves to " + p.toRealPath());
                }
            }
        }
        assertEquals("link->../data/./f.parquet", LakeFixture.snapshot(mirror).get("data/ok"));
        assertEquals(LakeFixture.sha256(root.resolve("data/f.parquet")), LakeFixture.sha256(mirror.resolve("data/ok")));
    }

    @Test
    void aLinkLeftByAnEarlierRunCannotBeChainedOutsideByALaterOne() throws IOException {
        Path root = server.servedRoot();
        Files.createSymbolicLink(root.resolve("d"), Path.of("."));
        assertEquals(Checkpoint.Status.SUCCESS, sync("-a").status());
        assertEquals(Path.of("."), Files.readSymbolicLink(mirror.resolve("d")));
        // The remote turns d into a real directory chain that makes a later link look inside.
        Files.delete(root.resolve("d"));
        Files.createDirectories(root.resolve("d/d/d/d/d/d"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("d/".repeat(6) + "../".repeat(6) + "etc"));

        SyncReport report = sync("-a");

        assertEquals(Checkpoint.Status.PARTIAL, report.status(), "the local link is in the way of the directory d");
        String reason = skips(report).getOrDefault("etc", "");
        assertTrue(reason.contains("goes through d, which is a symlink in the local tree"), reason);
        assertFalse(Files.exists(mirror.resolve("etc"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void withoutDashLNoSymlinkIsRecreated() throws IOException {
        Path root = server.servedRoot();
        SampleLake.writeFile(Files.createDirectories(root.resolve("data")).resolve("f.parquet"), 2_000, 1);
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("data/sibling.parquet"), Path.of("f.parquet"));

        SyncReport report = sync("-rt");

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        Map<String, String> skips = skips(report);
        assertEquals(Set.of("etc", "data/sibling.parquet"), skips.keySet());
        assertTrue(skips.values().stream().allMatch(r -> r.startsWith("symlink skipped")), skips.toString());
        assertEquals(Set.of("data", "data/f.parquet"), LakeFixture.snapshot(mirror).keySet());
    }

    @Test
    void aLocalDirectorySymlinkIsNeverWrittenThrough() throws IOException {
        Path root = server.servedRoot();
        SampleLake.writeFile(Files.createDirectories(root.resolve("dirX")).resolve("a.parquet"), 2_000, 1);
        SampleLake.writeFile(root.resolve("dirX/b.parquet"), 3_000, 2);
        SampleLake.writeFile(Files.createDirectories(root.resolve("other")).resolve("c.parquet"), 4_000, 3);
        Files.createSymbolicLink(mirror.resolve("dirX"), outside);
        Map<String, String> outsideBefore = LakeFixture.snapshot(outside);

        SyncReport report = sync("-a --partial");

        assertEquals(outsideBefore, LakeFixture.snapshot(outside));
        assertEquals(Checkpoint.Status.PARTIAL, report.status());
        Set<String> failed = report.errors().stream().map(PathError::path).collect(Collectors.toSet());
        assertTrue(failed.containsAll(Set.of("dirX", "dirX/a.parquet", "dirX/b.parquet")), report.errors().toString());
        assertEquals(LakeFixture.snapshot(root.resolve("other")), LakeFixture.snapshot(mirror.resolve("other")));
        assertEquals(outside, Files.readSymbolicLink(mirror.resolve("dirX")));
    }

    @Test
    void deleteRemovesExtraneousLocalSymlinksAsLinksOnly() throws IOException {
        SampleLake.writeFile(server.servedRoot().resolve("f.parquet"), 2_000, 1);
        Files.createSymbolicLink(mirror.resolve("stale-dir"), outside);
        Files.createSymbolicLink(mirror.resolve("stale.parquet"), outside.resolve("victim.parquet"));
        Map<String, String> outsideBefore = LakeFixture.snapshot(outside);

        // the two links are all the lake holds: the share guard would keep them
        SyncReport report = new DataLake(LakeFixture.config(server, lake, "-a --delete", p -> p.maxDeletePercent(100)))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(2, report.filesDeleted());
        assertFalse(Files.exists(mirror.resolve("stale-dir"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(mirror.resolve("stale.parquet"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(outsideBefore, LakeFixture.snapshot(outside));
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mirror));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a --partial", "-a --partial --inplace"})
    void aLocalSymlinkAtARemoteFilesPathIsReplacedNotFollowed(String rsyncArgs) throws IOException {
        SampleLake.writeFile(server.servedRoot().resolve("f.parquet"), 20_000, 7);
        Files.createSymbolicLink(mirror.resolve("f.parquet"), outside.resolve("victim.parquet"));
        Files.createSymbolicLink(mirror.resolve(".f.parquet" + NameRules.TEMP_SUFFIX),
                outside.resolve("sub/kept.parquet"));
        Map<String, String> outsideBefore = LakeFixture.snapshot(outside);

        SyncReport report = sync(rsyncArgs);

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(outsideBefore, LakeFixture.snapshot(outside));
        Path local = mirror.resolve("f.parquet");
        assertTrue(Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS), "the link itself was replaced");
        assertEquals(LakeFixture.sha256(server.servedRoot().resolve("f.parquet")), LakeFixture.sha256(local));
    }

    @Test
    void aDeniedFileFailsAloneAndIsRecordedInTheCheckpoint() throws IOException {
        Path root = server.servedRoot();
        for (String name : List.of("a.parquet", "b.parquet", "c.parquet")) {
            SampleLake.writeFile(root.resolve(name), 10_000, name.charAt(0));
        }
        server.denyPath("/b.parquet");
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial");

        SyncReport report = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.PARTIAL, report.status());
        assertEquals(2, report.filesTransferred());
        Map<String, String> expected = new TreeMap<>(LakeFixture.snapshot(root));
        expected.remove("b.parquet");
        assertEquals(expected, LakeFixture.snapshot(mirror), "the others arrived, nothing is left of the denied one");
        assertEquals(1, report.errors().size(), report.errors().toString());
        PathError error = report.errors().get(0);
        assertEquals("b.parquet", error.path());
        assertTrue(error.message().contains("permission denied") && error.message().contains(server.host())
                && error.message().contains("/b.parquet"), error.message());

        JsonNode checkpoint = new ObjectMapper().readTree(config.profile("p").orElseThrow().checkpointFile().toFile());
        assertEquals("partial", checkpoint.get("last_sync_status").asText());
        JsonNode errors = checkpoint.get("errors");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("b.parquet", errors.get(0).get("path").asText());
        assertEquals(error.message(), errors.get(0).get("message").asText());
    }

    /**
     * A server whose DATA replies claim more bytes than they carry: each file fails on its own as the
     * server's error (no reconnecting), and nothing is published, neither padded nor cut short.
     */
    @Test
    void dataRepliesShorterThanTheyClaim_failEachFile_andPublishNothing() throws IOException {
        try (SftpTestServer lying = SftpTestServer.builder(work.resolve("lying")).shortDataReplies().start()) {
            Path day = Files.createDirectories(lying.servedRoot().resolve(DAY_DIR));
            SampleLake.writeFile(day.resolve("small.parquet"), 1_000, 1); // read whole with others, in one READ
            SampleLake.writeFile(day.resolve("medium.parquet"), 300_000, 3); // read whole with others, in two
            SampleLake.writeFile(day.resolve("large.parquet"), 1_100_000, 2); // streamed

            SyncReport report = new DataLake(LakeFixture.config(lying, lake, "-a --partial"))
                    .sync("p", LakeFixture.options(), SyncListener.NONE);

            assertEquals(Checkpoint.Status.PARTIAL, report.status(), report.errors().toString());
            assertEquals(0, report.filesTransferred());
            assertEquals(0, report.reconnects());
            assertEquals(Set.of(DAY_DIR + "/small.parquet", DAY_DIR + "/medium.parquet", DAY_DIR + "/large.parquet"),
                    report.errors().stream().map(PathError::path).collect(Collectors.toSet()));
            assertTrue(report.errors().stream().allMatch(e -> e.message().contains("claims")), report.errors().toString());
            assertEquals(List.of(DAY_DIR), LakeFixture.snapshot(mirror).keySet().stream().toList(),
                    "no file, whole or partial, in the mirror");
        }
    }

    /**
     * A server that answers READs with at most 64 KiB (many do; OpenSSH gives 255 KiB): every
     * large file comes whole, though the first one's READs come back short. The handle must stay
     * open until the short replies are re-asked; it may be closed with the last READs only once
     * the server was seen to answer READs of the size asked in full. Later files ask for what the
     * server gives: the server reads each byte about once (files one at a time here; the first
     * file's READs already sent when the first short reply comes are read in vain).
     */
    @Test
    void aServerWithALowerReadLimit_stillGivesEveryByteOfLargeFiles_andLaterFilesAskForWhatItGives() throws IOException {
        try (SftpTestServer small = SftpTestServer.builder(work.resolve("small-reads")).maxReadData(64 * 1024).start()) {
            Path day = Files.createDirectories(small.servedRoot().resolve(DAY_DIR));
            long total = 0;
            for (int i = 0; i < 6; i++) {
                long size = RemoteFs.GROUP_READ_MAX + i * 100_000; // streamed, not read whole
                SampleLake.writeFile(day.resolve("part-" + i + ".parquet"), size, i);
                total += size;
            }
            SampleLake.writeFile(day.resolve("small.parquet"), 1_000, 9);
            total += 1_000;

            SyncReport report = new DataLake(LakeFixture.config(small, lake, "-a --partial", p -> p.parallelFiles(1)))
                    .sync("p", LakeFixture.options(), SyncListener.NONE);

            assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
            assertEquals(7, report.filesTransferred());
            assertEquals(LakeFixture.snapshot(small.servedRoot()), LakeFixture.snapshot(mirror));
            long wasted = small.bytesRead() - total;
            assertTrue(wasted < 200 * 1024, "the server read " + wasted + " bytes more than the files hold");
        }
    }

    /**
     * Files under 1 MiB are read whole, in groups, with READs of the size the server is thought to
     * answer. A server that gives at most 64 KiB leaves gaps behind its short replies: they are
     * asked for again on the still open handles, each byte is read about once, and later groups
     * ask for what the server gives.
     */
    @Test
    void aServerWithALowerReadLimit_stillGivesEveryByteOfFilesReadWhole_andReadsEachByteOnce() throws IOException {
        try (SftpTestServer small = SftpTestServer.builder(work.resolve("small-reads-whole")).maxReadData(64 * 1024).start()) {
            Path day = Files.createDirectories(small.servedRoot().resolve(DAY_DIR));
            long total = 0;
            for (int i = 0; i < 40; i++) {
                long size = 100_000 + i * 20_000; // 100 KB to 880 KB: groups of a few files each
                SampleLake.writeFile(day.resolve("part-" + i + ".parquet"), size, i);
                total += size;
            }

            SyncReport report = new DataLake(LakeFixture.config(small, lake, "-a --partial", p -> p.parallelFiles(2)))
                    .sync("p", LakeFixture.options(), SyncListener.NONE);

            assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
            assertEquals(40, report.filesTransferred());
            assertEquals(total, report.bytesTransferred());
            assertEquals(LakeFixture.snapshot(small.servedRoot()), LakeFixture.snapshot(mirror));
            assertTrue(small.bytesRead() - total < 64 * 1024, "the server read " + (small.bytesRead() - total)
                    + " bytes more than the files hold");
        }
    }

    private SyncReport sync(String rsyncArgs) {
        DataLakeConfig config = LakeFixture.config(server, lake, rsyncArgs);
        return new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
    }

    private static Map<String, String> skips(SyncReport report) {
        return report.plan().skips().stream().collect(Collectors.toMap(SyncPlan.Skip::path, SyncPlan.Skip::reason));
    }

    /** The entries of two {@link LakeFixture#snapshot}s that differ, except those under the allowed directories. */
    private static List<String> changedOutside(Map<String, String> before, Map<String, String> after,
                                               String... allowed) {
        Set<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        return all.stream()
                .filter(path -> !Objects.equals(before.get(path), after.get(path)))
                .filter(path -> Arrays.stream(allowed).noneMatch(a -> path.equals(a) || path.startsWith(a + "/")))
                .toList();
    }
}
