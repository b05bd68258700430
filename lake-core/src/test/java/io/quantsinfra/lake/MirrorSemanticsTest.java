package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Quick check, changes, deletions and filters, against the embedded server over real sockets. */
@ExtendWith(SftpServerExtension.class)
class MirrorSemanticsTest {
    @TempDir
    Path lake;

    private Path remote(SftpTestServer server, String rel) {
        return server.servedRoot().resolve(rel);
    }

    private Path local(String rel) {
        return lake.resolve("mirror").resolve(rel);
    }

    private static void write(Path file, long size, long seed, long mtime) throws IOException {
        Files.createDirectories(file.getParent());
        SampleLake.writeFile(file, size, seed);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
    }

    private static SyncReport sync(DataLakeConfig config) {
        return new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
    }

    private static List<String> transferred(SyncReport r) {
        return r.plan().transfers().stream().map(t -> t.path() + ": " + t.reason()).collect(Collectors.toList());
    }

    @Test
    void remoteAddChangeAndDelete_withoutDelete_keepsLocalExtras(SftpTestServer server) throws IOException {
        write(remote(server, "d_20241101/a.parquet"), 1000, 1, 1_700_000_000L);
        write(remote(server, "d_20241101/b.parquet"), 2000, 2, 1_700_000_000L);
        write(remote(server, "d_20241101/c.parquet"), 3000, 3, 1_700_000_000L);
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial");
        assertEquals(3, sync(config).filesTransferred());

        write(remote(server, "d_20241102/new.parquet"), 500, 4, 1_700_000_100L);     // added
        write(remote(server, "d_20241101/a.parquet"), 1000, 9, 1_700_000_200L);      // same size, new mtime
        write(remote(server, "d_20241101/b.parquet"), 2500, 2, 1_700_000_000L);      // new size, same mtime
        Files.delete(remote(server, "d_20241101/c.parquet"));                        // deleted

        SyncReport r = sync(config);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(List.of("d_20241101/a.parquet: mtime differs (local 2023-11-14T22:13:20Z, remote 2023-11-14T22:16:40Z)",
                "d_20241101/b.parquet: size differs (local 2000, remote 2500)",
                "d_20241102/new.parquet: new file"), transferred(r));
        assertEquals(0, r.filesDeleted());
        assertTrue(r.plan().deletions().isEmpty());
        assertTrue(Files.exists(local("d_20241101/c.parquet")), "without --delete the local copy stays");
        assertEquals(LakeFixture.sha256(remote(server, "d_20241101/a.parquet")), LakeFixture.sha256(local("d_20241101/a.parquet")));
        assertEquals(2500, Files.size(local("d_20241101/b.parquet")));
    }

    @Test
    void remoteDelete_withDelete_removesFilesAndEmptyDirectories(SftpTestServer server) throws IOException {
        write(remote(server, "d_20241101/a.parquet"), 1000, 1, 1_700_000_000L);
        write(remote(server, "d_20241102/b.parquet"), 1000, 2, 1_700_000_000L);
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial --delete");
        sync(config);
        Files.delete(remote(server, "d_20241102/b.parquet"));
        Files.delete(remote(server, "d_20241102"));

        SyncReport r = sync(config);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(2, r.filesDeleted());
        assertEquals(List.of("d_20241102/b.parquet", "d_20241102"),
                r.plan().deletions().stream().map(SyncPlan.Deletion::path).collect(Collectors.toList()));
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
        assertTrue(Files.isDirectory(lake.resolve(".checkpoints")), "the checkpoint dir lives beside, never inside, the mirror");
    }

    @Test
    void emptyRemoteDirectories_areCreated(SftpTestServer server) throws IOException {
        Files.createDirectories(remote(server, "empty/nested"));
        write(remote(server, "f.parquet"), 10, 1, 1_700_000_000L);
        SyncReport r = sync(LakeFixture.config(server, lake, "-a"));
        assertEquals(List.of("empty", "empty/nested"), r.plan().directoriesToCreate());
        assertTrue(Files.isDirectory(local("empty/nested")));
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    @Test
    void deleteGuard_maxDelete_deletesNothingAndSaysWhy(SftpTestServer server) throws IOException {
        write(remote(server, "keep.parquet"), 10, 1, 1_700_000_000L);
        for (int i = 0; i < 3; i++) {
            write(local("old" + i + ".parquet"), 10, i, 1_700_000_000L);
        }
        SyncReport r = sync(LakeFixture.config(server, lake, "-a --delete --max-delete=2"));
        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(0, r.filesDeleted());
        assertTrue(r.deletionBlocked().orElseThrow().contains("3 deletions exceed --max-delete=2"), r.deletionBlocked().toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.exists(local("old" + i + ".parquet")));
        }
        assertTrue(Files.exists(local("keep.parquet")), "transfers still happen");
    }

    @Test
    void deleteGuard_emptyRemote_deletesNothingUnlessAllowed(SftpTestServer server) throws IOException {
        write(local("d/precious.parquet"), 10, 1, 1_700_000_000L);
        SyncReport r = sync(LakeFixture.config(server, lake, "-a --delete"));
        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(0, r.filesDeleted());
        assertTrue(r.deletionBlocked().orElseThrow().contains("lists empty"), r.deletionBlocked().toString());
        assertTrue(Files.exists(local("d/precious.parquet")));

        SyncReport allowed = sync(LakeFixture.config(server, lake, "-a --delete", p -> p.allowEmptyRemote(true)));
        assertEquals(Checkpoint.Status.SUCCESS, allowed.status());
        assertEquals(2, allowed.filesDeleted());
        assertFalse(Files.exists(local("d")));
    }

    @Test
    void deleteGuard_anErrorInTheRun_deletesNothing(SftpTestServer server) throws IOException {
        write(remote(server, "x.parquet"), 10, 1, 1_700_000_000L);
        write(remote(server, "good.parquet"), 10, 2, 1_700_000_000L);
        Files.createDirectories(local("x.parquet")); // a local directory in the way of a remote file
        write(local("extra.parquet"), 10, 3, 1_700_000_000L);
        SyncReport r = sync(LakeFixture.config(server, lake, "-a --delete"));
        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(List.of("x.parquet"), r.errors().stream().map(PathError::path).collect(Collectors.toList()));
        assertEquals(0, r.filesDeleted());
        assertTrue(r.deletionBlocked().isPresent());
        assertTrue(Files.exists(local("extra.parquet")));
        assertTrue(Files.exists(local("good.parquet")));
    }

    @Test
    void filters_applyToTransferAndDeletion_firstMatchWins(SftpTestServer server) throws IOException {
        write(remote(server, "d/a.parquet"), 10, 1, 1_700_000_000L);
        write(remote(server, "d/keep.tmp"), 10, 2, 1_700_000_000L);
        write(remote(server, "d/skip.tmp"), 10, 3, 1_700_000_000L);
        write(remote(server, "d/notes.txt"), 10, 4, 1_700_000_000L);
        write(local("d/local-only.tmp"), 10, 5, 1_700_000_000L);
        SyncReport r = sync(LakeFixture.config(server, lake,
                "-a --delete --include=keep.tmp --exclude=*.tmp --include='*/' --include=*.parquet --exclude=*"));
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(Map.of("d", "dir", "d/a.parquet", "", "d/keep.tmp", "", "d/local-only.tmp", ""),
                LakeFixture.snapshot(lake.resolve("mirror")).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().equals("dir") ? "dir" : "")));
        assertTrue(r.plan().skips().stream().anyMatch(s -> s.path().equals("d/skip.tmp") && s.reason().equals("excluded by --exclude=*.tmp")),
                r.plan().skips().toString());
    }

    @Test
    void youngFiles_waitForTheNextRun(SftpTestServer server) throws IOException {
        long now = 1_700_000_000L;
        write(remote(server, "old.parquet"), 10, 1, now - 3600);
        write(remote(server, "fresh.parquet"), 10, 2, now - 5);
        DataLakeConfig config = LakeFixture.config(server, lake, "-a", p -> p.minFileAgeSeconds(60));
        SyncOptions at = LakeFixture.options().withClock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        SyncReport r = new DataLake(config).sync("p", at, SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(1, r.filesTransferred());
        assertFalse(Files.exists(local("fresh.parquet")));
        assertTrue(r.plan().skips().stream().anyMatch(s -> s.path().equals("fresh.parquet")
                && s.reason().equals("modified 5 s ago, younger than min_file_age_seconds 60")));
    }

    @Test
    void withoutTimes_sameSizeMeansUpToDate_andMtimeIsNotCopied(SftpTestServer server) throws IOException {
        write(remote(server, "a.parquet"), 100, 1, 1_600_000_000L);
        DataLakeConfig config = LakeFixture.config(server, lake, "-r");
        assertEquals(1, sync(config).filesTransferred());
        assertTrue(Files.getLastModifiedTime(local("a.parquet")).toMillis() / 1000 != 1_600_000_000L);
        assertEquals(0, sync(config).filesTransferred());
    }

    @Test
    void withoutRecursive_onlyTopLevelFilesAreMirrored(SftpTestServer server) throws IOException {
        write(remote(server, "top.parquet"), 10, 1, 1_700_000_000L);
        write(remote(server, "sub/inner.parquet"), 10, 2, 1_700_000_000L);
        SyncReport r = sync(LakeFixture.config(server, lake, "-t"));
        assertEquals(1, r.filesTransferred());
        assertFalse(Files.exists(local("sub")));
    }

    @Test
    void permissionsAreCopiedWithP(SftpTestServer server) throws IOException {
        write(remote(server, "a.parquet"), 10, 1, 1_700_000_000L);
        Files.setPosixFilePermissions(remote(server, "a.parquet"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        sync(LakeFixture.config(server, lake, "-a"));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(local("a.parquet"))));
    }

    @Test
    void modesAndMtimes_landWhetherTheChmodIsNeededOrNot_andOnNamesBeyondAscii(SftpTestServer server) throws IOException {
        String[] modes = {"rw-r--r--", "rw-rw-rw-", "rwxr-x---", "r--------"};
        for (int i = 0; i < modes.length; i++) {
            Path file = remote(server, "day_2024112" + i + "/Ωmega-é " + i + ".parquet");
            write(file, 100 + i, i, 1_700_000_000L + i);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(modes[i]));
        }

        sync(LakeFixture.config(server, lake, "-a"));

        for (int i = 0; i < modes.length; i++) {
            Path file = local("day_2024112" + i + "/Ωmega-é " + i + ".parquet");
            assertEquals(modes[i], java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(1_700_000_000L + i, Files.getLastModifiedTime(file).toInstant().getEpochSecond());
        }
    }
}
