package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.store.StagedFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing outside {@code root_dir}, whatever links exist locally or a checkpoint says; names as
 * long as the file system allows; local storage that refuses writes; partial files that a
 * checkpoint never recorded. Against the embedded server over real sockets.
 */
@ExtendWith(SftpServerExtension.class)
class LocalSafetyTest {
    private static final long MTIME = 1_700_000_000L;

    @TempDir
    Path tmp;

    private Path lake() {
        return tmp.resolve("lake");
    }

    private static Path write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SampleLake.writeFile(file, size, seed);
        Files.setLastModifiedTime(file, FileTime.from(MTIME, TimeUnit.SECONDS));
        return file;
    }

    /** A listener that keeps the warnings. */
    private static final class Warnings implements SyncListener {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void warning(String message) {
            seen.add(message);
        }
    }

    @Test
    void aSymlinkedProfileDirectory_failsTheProfile_andNothingIsWrittenOrDeletedThroughIt(SftpTestServer server)
            throws IOException {
        write(server.servedRoot().resolve("d_20241101/a.parquet"), 1000, 1);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        write(outside.resolve("victim.parquet"), 500, 2);
        Files.createDirectories(lake());
        Files.createSymbolicLink(lake().resolve("mirror"), outside);
        Map<String, String> before = LakeFixture.snapshot(outside);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial --delete");

        for (boolean dryRun : new boolean[] {true, false}) {
            LakeException e = assertThrows(LakeException.class,
                    () -> new DataLake(config).sync("p", LakeFixture.options().withDryRun(dryRun), SyncListener.NONE));
            assertEquals(LakeException.Kind.LOCAL_IO, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("is a symlink"), e.getMessage());
        }
        assertEquals(before, LakeFixture.snapshot(outside));
        assertEquals(Checkpoint.Status.FAILED, new DataLake(config).checkpoint("p").lastSyncStatus(),
                "the failure is recorded, for the metrics");
        LakeException cleanup = assertThrows(LakeException.class,
                () -> new DataLake(config).cleanup("p", LakeFixture.options(), SyncListener.NONE));
        assertEquals(LakeException.Kind.LOCAL_IO, cleanup.kind());
    }

    @Test
    void aHostileCheckpoint_losesOnlyItsBadEntries_andTheSyncSucceeds(SftpTestServer server) throws IOException {
        write(server.servedRoot().resolve("a.parquet"), 1000, 1);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial");
        Path file = config.requireProfile("p").checkpointFile();
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"profile_name": "p", "last_sync_status": "partial",
                 "partials": [ {"path": "../../../etc/passwd", "remote_size": 10, "remote_mtime": 1, "bytes_held": 5},
                               {"path": "", "remote_size": 10, "remote_mtime": 1, "bytes_held": 5},
                               {"path": "d/./x", "remote_size": 10, "remote_mtime": 1, "bytes_held": 5},
                               {"path": "d/ok.parquet", "remote_size": 10, "remote_mtime": 1, "bytes_held": 5} ]}
                """);
        Warnings warnings = new Warnings();

        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), warnings);

        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(1, warnings.seen.size(), warnings.seen.toString());
        assertTrue(warnings.seen.get(0).contains("lists partial files with unsafe paths, ignored")
                && warnings.seen.get(0).contains("\"../../../etc/passwd\" (component \"..\": \"..\" is not a file name)"),
                warnings.seen.get(0));
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake().resolve("mirror")));
    }

    @Test
    void aRemoteNameOf255Bytes_syncs_andItsPartialResumes(SftpTestServer server) throws IOException {
        String name = "gate_io_" + "x".repeat(239) + ".parquet";
        assertEquals(255, name.length());
        write(server.servedRoot().resolve("d/" + name), 3 * 1024 * 1024, 1);
        write(server.servedRoot().resolve("d/small_" + "y".repeat(241)), 1000, 2);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial", p -> p.reconnectAttempts(0));
        server.cutAfterBytes(name, 1024 * 1024);

        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        Path staging = lake().resolve("mirror/d").resolve(NameRules.stagingName(name));
        assertTrue(Files.size(staging) > 0, "the partial data is kept under a shortened staging name");

        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(1, r.filesResumed());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake().resolve("mirror")));
    }

    @Test
    void aPartialTheCheckpointNeverListed_isResumed_onceItsTailMatches(SftpTestServer server) throws IOException {
        int size = 3 * 1024 * 1024;
        Path remote = write(server.servedRoot().resolve("d/big.parquet"), size, 1);
        Path other = write(server.servedRoot().resolve("d/other.parquet"), size, 2);
        // as a run killed within a second of starting leaves them: staging files, no checkpoint
        byte[] head = new byte[size / 2];
        try (var in = Files.newInputStream(remote)) {
            assertEquals(head.length, in.readNBytes(head, 0, head.length));
        }
        Files.createDirectories(lake().resolve("mirror/d"));
        Files.write(lake().resolve("mirror/d/.big.parquet.lake-part"), head);
        Files.write(lake().resolve("mirror/d/.other.parquet.lake-part"), new byte[size / 2]); // bytes of another file

        SyncReport r = new DataLake(LakeFixture.config(server, lake(), "-a --partial")).sync("p", LakeFixture.options(),
                SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(1, r.filesResumed(), "the matching partial resumes; the other one's tail differs, so it starts anew");
        assertTrue(r.plan().transfers().get(0).reason().startsWith("resume at offset " + size / 2
                + " of a partial file the checkpoint does not list"), r.plan().transfers().get(0).reason());
        // a resumed Parquet part's check also reads the 4 bytes of its head, which the copy skipped
        assertEquals(size / 2 + StagedFile.TAIL_WINDOW + 4 + size + StagedFile.TAIL_WINDOW, r.bytesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake().resolve("mirror")));
        assertEquals(LakeFixture.sha256(other), LakeFixture.sha256(lake().resolve("mirror/d/other.parquet")));
    }

    @Test
    void aFileUnder1MiB_leavesNoPartial_evenWhenStreamedAndCut(SftpTestServer server) throws IOException {
        write(server.servedRoot().resolve("d/small.parquet"), 900_000, 1);
        // with --bwlimit no file is read whole: this one streams, and the link is cut part-way
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial --bwlimit=100M", p -> p.reconnectAttempts(0));
        server.cutAfterBytes("small.parquet", 300_000);

        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        assertEquals(List.of(), new DataLake(config).checkpoint("p").partials());
        try (Stream<Path> files = Files.list(lake().resolve("mirror/d"))) {
            assertEquals(List.of(), files.toList(), "no .lake-part file stays behind");
        }
        assertEquals(Checkpoint.Status.SUCCESS, new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE).status());
    }

    @Test
    void aRemoteDirectoryNamedLikeThePartialDir_isExcluded_notFetchedOnEveryRun(SftpTestServer server) throws IOException {
        write(server.servedRoot().resolve("d/a.parquet"), 1000, 1);
        write(server.servedRoot().resolve("d/.partial/b.parquet"), 1000, 2);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial-dir=.partial");

        SyncReport first = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(1, first.filesTransferred());
        assertTrue(first.plan().skips().stream().anyMatch(s -> s.path().equals("d/.partial")
                && s.reason().equals("excluded by --exclude=.partial/")), first.plan().skips().toString());
        assertEquals(0, new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE).filesTransferred());
    }

    @Test
    void aReadOnlyLake_failsAsLocalStorage_notAsEachFilesError(SftpTestServer server) throws Exception {
        write(server.servedRoot().resolve("a.parquet"), 1000, 1);
        write(server.servedRoot().resolve("d/b.parquet"), 1000, 2);
        Path mirror = Files.createDirectories(lake().resolve("mirror"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mirror.toString()),
                "skipped: cannot mount a read-only tmpfs here (needs root)");
        try {
            DataLakeConfig config = DataLakeConfig.builder(lake()).checkpointDir(tmp.resolve("state"))
                    .profile("p", p -> p.host(server.host()).port(server.port()).user(server.user())
                            .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile()).remoteRoot("/")
                            .localSubdir("mirror").rsyncArgs("-a --partial").retentionDays(0))
                    .build();
            LakeException e = assertThrows(LakeException.class,
                    () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
            assertEquals(LakeException.Kind.LOCAL_IO, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("cannot write in the lake while "), e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("writable by user"), e.hint().toString());
        } finally {
            run("umount", mirror.toString());
        }
    }

    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
