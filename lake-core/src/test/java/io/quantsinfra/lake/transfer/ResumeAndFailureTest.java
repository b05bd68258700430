package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.store.StagedFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.DiskSpace;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume after a cut link, resume refusal, interruption, disk full, and files that change while copied. */
class ResumeAndFailureTest {
    private static final long MTIME = 1_700_000_000L;
    private static final int BIG = 4 * 1024 * 1024;

    @TempDir
    Path tmp;

    private SftpTestServer server;

    private SftpTestServer start(SftpEventListener... listeners) throws IOException {
        SftpTestServer.Builder b = SftpTestServer.builder(tmp.resolve("remote")).keyDirectory(tmp.resolve("keys"));
        for (SftpEventListener l : listeners) {
            b.sftpEventListener(l);
        }
        server = b.start();
        return server;
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private Path lake() {
        return tmp.resolve("lake");
    }

    private Path local(String rel) {
        return lake().resolve("mirror").resolve(rel);
    }

    private Path remote(String rel) {
        return server.servedRoot().resolve(rel);
    }

    private static void write(Path file, long size, long seed, long mtime) throws IOException {
        Files.createDirectories(file.getParent());
        SampleLake.writeFile(file, size, seed);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
    }

    private Checkpoint checkpoint(DataLakeConfig config) {
        return new DataLake(config).checkpoint("p");
    }

    @Test
    void cutLink_failsTheRun_thenTheNextRunResumesFromTheOffset() throws IOException {
        start();
        write(remote("d/big.parquet"), BIG, 1, MTIME);
        write(remote("d/small.parquet"), 1000, 2, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial", p -> p.reconnectAttempts(0).parallelFiles(1));
        server.cutAfterBytes("big.parquet", BIG / 2);

        LakeException e = assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        Checkpoint failed = checkpoint(config);
        assertEquals(Checkpoint.Status.FAILED, failed.lastSyncStatus());
        assertEquals(1, failed.partials().size(), failed.toString());
        Checkpoint.Partial partial = failed.partials().get(0);
        assertEquals("d/big.parquet", partial.path());
        assertEquals(BIG, partial.remoteSize());
        assertEquals(MTIME, partial.remoteMtime());
        long firstRunBytes = partial.bytesHeld();
        assertTrue(firstRunBytes > 0 && firstRunBytes < BIG, "bytes held: " + firstRunBytes);
        assertFalse(Files.exists(local("d/big.parquet")), "nothing torn is visible under the final name");
        assertEquals(firstRunBytes, Files.size(local("d/.big.parquet.lake-part")));

        SyncReport second = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, second.status());
        assertEquals(1, second.filesResumed());
        assertTrue(second.resumedFromCheckpoint());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake().resolve("mirror")));
        long bigBytesSecondRun = second.bytesTransferred() - (second.plan().transfers().size() == 2 ? 1000 : 0);
        // the resume checks the staged tail, and the Parquet check reads the head the copy skipped
        assertTrue(firstRunBytes + bigBytesSecondRun <= BIG + StagedFile.TAIL_WINDOW + 4,
                "across both runs: " + (firstRunBytes + bigBytesSecondRun) + " bytes for a " + BIG + "-byte file");
        assertTrue(firstRunBytes + bigBytesSecondRun >= BIG);
        assertTrue(checkpoint(config).partials().isEmpty());
    }

    @Test
    void cutLink_reconnectsAndResumesInTheSameRun() throws IOException {
        start();
        write(remote("big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial", p -> p.reconnectAttempts(3));
        server.cutAfterBytes("big.parquet", BIG / 3);
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(1, r.reconnects());
        assertEquals(BIG, r.bytesTransferred(), "the same run continues at its own offset, nothing is read twice");
        assertEquals(LakeFixture.sha256(remote("big.parquet")), LakeFixture.sha256(local("big.parquet")));
    }

    @Test
    void resumeIsRefused_whenTheRemoteChangedInBetween() throws IOException {
        start();
        write(remote("big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial", p -> p.reconnectAttempts(0));
        server.cutAfterBytes("big.parquet", BIG / 2);
        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));

        write(remote("big.parquet"), BIG, 99, MTIME + 60); // rewritten: same size, new content and mtime
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(0, r.filesResumed());
        assertEquals("new file", r.plan().transfers().get(0).reason());
        assertEquals(BIG, r.bytesTransferred());
        assertEquals(LakeFixture.sha256(remote("big.parquet")), LakeFixture.sha256(local("big.parquet")));
    }

    @Test
    void resumeIsRefused_whenThePartialsTailDoesNotMatch() throws IOException {
        start();
        write(remote("big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial", p -> p.reconnectAttempts(0));
        server.cutAfterBytes("big.parquet", BIG / 2);
        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));

        // Same size and mtime, but the prefix changed: only the tail check can tell.
        write(remote("big.parquet"), BIG, 77, MTIME);
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertTrue(r.plan().transfers().get(0).reason().startsWith("resume at offset"), r.plan().transfers().toString());
        assertEquals(0, r.filesResumed(), "the tail did not match, so it restarted from zero");
        assertEquals(LakeFixture.sha256(remote("big.parquet")), LakeFixture.sha256(local("big.parquet")));
    }

    @Test
    void withoutPartial_partialDataIsRemoved() throws IOException {
        start();
        write(remote("big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a", p -> p.reconnectAttempts(0));
        server.cutAfterBytes("big.parquet", BIG / 2);
        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        assertFalse(Files.exists(local(".big.parquet.lake-part")));
        assertFalse(Files.exists(local("big.parquet")));
        assertTrue(checkpoint(config).partials().isEmpty());
    }

    @Test
    void inplace_writesTheFinalNameAndResumesIt() throws IOException {
        start();
        write(remote("big.bin"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial --inplace", p -> p.reconnectAttempts(0));
        server.cutAfterBytes("big.bin", BIG / 2);
        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        long held = Files.size(local("big.bin"));
        assertTrue(held > 0 && held < BIG, "with --inplace the partial is the final file: " + held);
        assertFalse(Files.exists(local(".big.bin.lake-part")));

        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(1, r.filesResumed());
        assertTrue(held + r.bytesTransferred() <= BIG + StagedFile.TAIL_WINDOW);
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake().resolve("mirror")));
    }

    @Test
    void partialDir_holdsThePartialFile() throws IOException {
        start();
        write(remote("d/big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial-dir=.partial", p -> p.reconnectAttempts(0));
        server.cutAfterBytes("big.parquet", BIG / 2);
        assertThrows(LakeException.class, () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        assertTrue(Files.size(local("d/.partial/big.parquet")) > 0);

        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(1, r.filesResumed());
        assertEquals(LakeFixture.sha256(remote("d/big.parquet")), LakeFixture.sha256(local("d/big.parquet")));
    }

    @Test
    void cancellation_endsInterrupted_keepsPartials_andTheNextRunResumes() throws IOException {
        start();
        write(remote("big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial --bwlimit=4M");
        Cancellation cancel = new Cancellation();
        SyncListener cancelHalfway = onceAQuarterArrived(cancel::cancel);
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options().withCancellation(cancel), cancelHalfway);
        assertEquals(Checkpoint.Status.INTERRUPTED, r.status());
        assertEquals(Checkpoint.Status.INTERRUPTED, checkpoint(config).lastSyncStatus());
        assertEquals(List.of("big.parquet"), checkpoint(config).partials().stream().map(Checkpoint.Partial::path).toList());
        assertFalse(Files.exists(local("big.parquet")));

        SyncReport next = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, next.status());
        assertTrue(next.resumedFromCheckpoint());
        assertEquals(1, next.filesResumed());
        assertEquals(LakeFixture.sha256(remote("big.parquet")), LakeFixture.sha256(local("big.parquet")));
    }

    @Test
    void anInterruptOfTheCallingThread_isACancel_theCheckpointAndPartialsAreRecorded_andTheInterruptComesBack()
            throws Exception {
        start();
        write(remote("big.parquet"), BIG, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial --bwlimit=4M");
        java.util.concurrent.CountDownLatch halfway = new java.util.concurrent.CountDownLatch(1);
        SyncListener progress = onceAQuarterArrived(halfway::countDown);
        java.util.concurrent.ExecutorService service = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.atomic.AtomicBoolean interruptGivenBack = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.Future<SyncReport> job = service.submit(() -> {
                SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), progress);
                interruptGivenBack.set(Thread.currentThread().isInterrupted());
                return r;
            });
            assertTrue(halfway.await(60, java.util.concurrent.TimeUnit.SECONDS));
            job.cancel(true); // what an embedding service does to stop a job
            service.shutdown();
            assertTrue(service.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(interruptGivenBack.get(), "the caller's interrupt is set again when sync returns");
        } finally {
            service.shutdownNow();
        }
        Checkpoint c = checkpoint(config);
        assertEquals(Checkpoint.Status.INTERRUPTED, c.lastSyncStatus(), c.toString());
        assertEquals(List.of("big.parquet"), c.partials().stream().map(Checkpoint.Partial::path).toList());
        assertTrue(c.partials().get(0).bytesHeld() > 0, c.toString());
        assertFalse(Files.exists(local("big.parquet")), "nothing torn under the final name");

        SyncReport next = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, next.status());
        assertEquals(1, next.filesResumed());
        assertEquals(LakeFixture.sha256(remote("big.parquet")), LakeFixture.sha256(local("big.parquet")));
    }

    /** A listener that runs {@code action} once a quarter of {@link #BIG} has arrived. */
    private static SyncListener onceAQuarterArrived(Runnable action) {
        return new SyncListener() {
            private long seen;

            @Override
            public synchronized void bytesTransferred(String path, long bytes) {
                seen += bytes;
                if (seen >= BIG / 4) {
                    action.run();
                }
            }
        };
    }

    @Test
    void diskFull_beforeTheFirstByte_writesNothing() throws IOException {
        start();
        write(remote("d/a.parquet"), 300_000, 1, MTIME);
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial", p -> p.diskReserveMb(1));
        SyncOptions smallDisk = LakeFixture.options().withDiskSpace(dir -> 1024 * 1024 + 100_000);
        LakeException e = assertThrows(LakeException.class, () -> new DataLake(config).sync("p", smallDisk, SyncListener.NONE));
        assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
        assertTrue(e.getMessage().startsWith("not enough disk space: need 293.0 KB, have 97.7 KB on " + lake().resolve("mirror")),
                e.getMessage());
        assertFalse(Files.exists(lake().resolve("mirror")), "no directory was created");
        assertEquals(Checkpoint.Status.FAILED, checkpoint(config).lastSyncStatus());
    }

    @Test
    void diskFull_duringTheTransfer_stopsCleanly_keepsPartials_andARerunWithSpaceCompletes() throws Exception {
        start();
        Path mount = smallFileSystem();
        try {
            write(remote("a.parquet"), 1_500_000, 1, MTIME);
            write(remote("b.parquet"), 1_500_000, 2, MTIME);
            DataLakeConfig config = DataLakeConfig.builder(mount).checkpointDir(tmp.resolve("state"))
                    .profile("p", p -> p.host(server.host()).port(server.port()).user(server.user())
                            .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile()).remoteRoot("/")
                            .localSubdir("mirror").rsyncArgs("-a --partial").parallelFiles(1).diskReserveMb(0))
                    .build();
            LakeException e = assertThrows(LakeException.class,
                    () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
            assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
            assertTrue(e.getMessage().startsWith("disk full while writing"), e.getMessage());
            Checkpoint failed = checkpoint(config);
            assertEquals(Checkpoint.Status.FAILED, failed.lastSyncStatus());
            assertEquals(1, failed.partials().size(), failed.toString());
            assertTrue(failed.partials().get(0).bytesHeld() > 0);

            assertTrue(run("mount", "-o", "remount,size=8m", mount.toString()));
            SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
            assertEquals(Checkpoint.Status.SUCCESS, r.status());
            assertEquals(1, r.filesResumed());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mount.resolve("mirror")));
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void diskFull_withTheCheckpointOnTheFullDisk_thenSpaceForWhatIsMissingOnly_theNextRunCompletes() throws Exception {
        start();
        Path mount = smallFileSystem();
        try {
            write(remote("a.parquet"), 3_000_000, 1, MTIME);
            DataLakeConfig config = LakeFixture.config(server, mount, "-a --partial", p -> p.diskReserveMb(0));
            // the first run's free-space probe says it fits, as when another writer fills the disk meanwhile
            LakeException e = assertThrows(LakeException.class,
                    () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
            assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
            assertTrue(e.getMessage().startsWith("disk full while writing"), e.getMessage());
            Checkpoint.Status left = checkpoint(config).lastSyncStatus();
            assertTrue(left == Checkpoint.Status.RUNNING || left == Checkpoint.Status.FAILED, "a valid checkpoint: " + left);
            long held = Files.size(mount.resolve("mirror/.a.parquet.lake-part"));
            assertTrue(held > 1_500_000, "held " + held);

            // space comes back, but not enough to write the whole file again next to what is held
            assertTrue(run("mount", "-o", "remount,size=3m", mount.toString()));
            assertTrue(Files.getFileStore(mount).getUsableSpace() < 3_000_000);
            SyncReport r = new DataLake(config).sync("p", LakeFixture.options().withDiskSpace(DiskSpace.FILE_STORE),
                    SyncListener.NONE);
            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(1, r.filesResumed());
            assertTrue(r.resumedFromCheckpoint());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mount.resolve("mirror")));
        } finally {
            run("umount", mount.toString());
        }
    }

    /** A 2 MiB tmpfs, or the test is skipped where mounting is not permitted. */
    private Path smallFileSystem() throws Exception {
        Path mount = tmp.resolve("small-fs");
        Files.createDirectories(mount);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()),
                "skipped: cannot mount a size-limited tmpfs here (needs root); the free-space probe test covers the rest");
        return mount;
    }

    @Test
    void aFileThatGrowsWhileCopied_isNotPublished_andArrivesWholeNextRun() throws IOException {
        AtomicBoolean grown = new AtomicBoolean();
        start(new SftpEventListener() {
            @Override
            public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                             int dataOffset, int dataLen, int readLen, Throwable thrown) throws IOException {
                Path file = localHandle.getFile();
                if (file.getFileName().toString().equals("growing.bin") && grown.compareAndSet(false, true)) {
                    Files.write(file, new byte[1000], java.nio.file.StandardOpenOption.APPEND);
                    Files.setLastModifiedTime(file, FileTime.fromMillis((MTIME + 5) * 1000));
                }
            }
        });
        write(remote("growing.bin"), 1_000_000, 1, MTIME);
        write(remote("steady.bin"), 1000, 2, MTIME);
        // not Parquet parts, which are held back instead (ParquetPartsSyncTest)
        DataLakeConfig config = LakeFixture.config(server, lake(), "-a --partial");
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(List.of("growing.bin"), r.errors().stream().map(PathError::path).toList());
        assertTrue(r.errors().get(0).message().contains("not published, retried next run"), r.errors().get(0).message());
        assertFalse(Files.exists(local("growing.bin")), "never published torn");
        assertTrue(Files.exists(local("steady.bin")));

        SyncReport next = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, next.status());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake().resolve("mirror")));
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
