package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.durability.FileSystemSync;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.sftp.SftpConnector;
import io.quantsinfra.lake.state.ProfileLock;
import io.quantsinfra.lake.store.LocalStore;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(SftpServerExtension.class)
class SyncIntegrationTest {
    @TempDir
    Path lake;

    @ParameterizedTest(name = "rsync_args {0}")
    @ValueSource(strings = {"-a --partial", "-az --partial", "-a --inplace"})
    void firstSync_mirrorsBytesAndMtimes_secondSyncTransfersNothing(String rsyncArgs, SftpTestServer server) throws Exception {
        SampleLake.Summary sample = SampleLake.builder().symbols("BTC-USDT", "ETH-USDT").days(3)
                .endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(10_000, 300_000).seed(7)
                .writeTo(server.servedRoot());
        DataLakeConfig config = LakeFixture.config(server, lake, rsyncArgs);
        DataLake dataLake = new DataLake(config);

        SyncReport first = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        assertEquals(sample.filesWritten(), first.filesTransferred());
        assertEquals(sample.totalBytes(), first.bytesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));

        SyncReport second = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, second.status());
        assertEquals(0, second.filesTransferred());
        assertEquals(0, second.bytesTransferred());
        assertTrue(second.plan().isEmpty(), second.plan().toString());
    }

    /**
     * Each file synced on its own instead of in batches: where syncfs cannot be called (not
     * Linux, JNA unavailable: the supplier is asked and has none), and with rsync's --fsync (it is
     * not even asked). The same mirror either way.
     */
    @ParameterizedTest(name = "rsync_args {0}")
    @CsvSource({"'-a --partial', 1", "'-a --partial --fsync', 0"})
    void withoutBatchSync_eachFileIsSyncedOnItsOwn_andTheMirrorIsTheSame(String rsyncArgs, int asks,
                                                                          SftpTestServer server) throws Exception {
        SampleLake.Summary sample = SampleLake.builder().symbols("BTC-USDT").days(2)
                .endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(4).partSize(100, 100_000).seed(11)
                .writeTo(server.servedRoot());
        DataLakeConfig config = LakeFixture.config(server, lake, rsyncArgs);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        SyncReport report = new SyncRun(lake.resolve("p.lock"), config.requireProfile("p"), new SftpConnector(),
                new LocalStore(config.requireProfile("p")), WorkerPool.create(WorkerPool.DAEMONS),
                LakeFixture.options(),
                SyncListener.NONE, false, () -> {
                    asked.incrementAndGet();
                    return java.util.Optional.empty();
                }, java.time.Duration.ofSeconds(1)).run();

        assertEquals(asks, asked.get());
        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(sample.filesWritten(), report.filesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    /**
     * Files under 1 MiB are published in batches, each behind one sync of their file system (not an
     * fdatasync each), and the run ends with one more sync that makes the renames durable. Counted
     * through the interface; the syncs are real where syncfs can be called.
     */
    @Test
    void smallFiles_arePublishedBehindBatchSyncs_andTheRunEndsWithOneMore(SftpTestServer server) throws Exception {
        SampleLake.Summary sample = SampleLake.builder().symbols("BTC-USDT").days(2)
                .endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(4).partSize(100, 100_000).seed(13)
                .writeTo(server.servedRoot());
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial");
        List<Set<Path>> syncs = Collections.synchronizedList(new ArrayList<>());
        Optional<FileSystemSync> real = FileSystemSync.open();
        FileSystemSync counting = new FileSystemSync() {
            @Override
            public void sync(Collection<Path> dirs) throws IOException {
                syncs.add(Set.copyOf(dirs));
                if (real.isPresent()) {
                    real.get().sync(dirs);
                }
            }

            @Override
            public void close() {
                real.ifPresent(FileSystemSync::close);
            }
        };

        SyncReport report = new SyncRun(lake.resolve("p.lock"), config.requireProfile("p"), new SftpConnector(),
                new LocalStore(config.requireProfile("p")), WorkerPool.create(WorkerPool.DAEMONS),
                LakeFixture.options(),
                SyncListener.NONE, false, () -> Optional.of(counting), java.time.Duration.ofSeconds(1)).run();

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(sample.filesWritten(), report.filesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
        Set<Path> dataDirs;
        try (Stream<Path> files = Files.walk(lake.resolve("mirror"))) {
            dataDirs = files.filter(Files::isRegularFile).map(Path::getParent).collect(Collectors.toSet());
        }
        assertTrue(syncs.size() >= 2, "batch syncs, then the final one: " + syncs);
        Set<Path> batched = new HashSet<>();
        syncs.subList(0, syncs.size() - 1).forEach(batched::addAll);
        assertTrue(batched.containsAll(dataDirs), "every file's directory synced by a batch: " + syncs);
        assertTrue(syncs.get(syncs.size() - 1).containsAll(dataDirs), "the last sync covers the renames: " + syncs);
    }

    /** Small files are read whole, larger ones streamed: the sizes around the boundary, and an empty file. */
    @Test
    void filesAroundTheWholeReadLimit_andAnEmptyFile_arriveWhole(SftpTestServer server) throws Exception {
        Path dir = Files.createDirectories(server.servedRoot().resolve("gate_io_BTC-USDT_20241128"));
        int limit = RemoteFs.WHOLE_READ_MAX;
        int[] sizes = {0, 1, limit - 2, limit - 1, limit, limit + 1};
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[sizes[i]];
            new Random(i).nextBytes(data);
            Files.write(dir.resolve("part_" + i + ".bin"), data); // not Parquet: an empty part would be held back
        }

        SyncReport report = new DataLake(LakeFixture.config(server, lake, "-a --partial"))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(sizes.length, report.filesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    /** The root is listed straight away; only when that fails is it looked at, to say why. */
    @Test
    void aRemoteRootThatIsAFile_failsWithThatReason_andNothingIsWritten(SftpTestServer server) throws Exception {
        Files.writeString(server.servedRoot().resolve("data.parquet"), "not a directory");
        DataLake dataLake = new DataLake(LakeFixture.config(server, lake, "-a", p -> p.remoteRoot("/data.parquet")));

        LakeException e = org.junit.jupiter.api.Assertions.assertThrows(LakeException.class,
                () -> dataLake.sync("p", LakeFixture.options(), SyncListener.NONE));

        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        assertTrue(e.getMessage().contains("remote_root /data.parquet on ") && e.getMessage().contains("is not a directory"),
                e.getMessage());
        assertEquals(Map.of(), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    /**
     * A run connects while it takes its lock; when the lock is held by another run, it reports
     * LOCKED, and the connection it opened meanwhile is closed, not left behind.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void whenTheLockIsHeld_theEarlyConnectionIsClosed(@TempDir Path tmp) throws Exception {
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.sshd.sftp.server.SftpEventListener sessions = new org.apache.sshd.sftp.server.SftpEventListener() {
            @Override
            public void initialized(org.apache.sshd.server.session.ServerSession session, int version) {
                opened.incrementAndGet();
            }

            @Override
            public void destroying(org.apache.sshd.server.session.ServerSession session) {
                closed.incrementAndGet();
            }
        };
        try (SftpTestServer server = SftpTestServer.builder(tmp.resolve("remote")).sftpEventListener(sessions).start()) {
            DataLakeConfig config = LakeFixture.config(server, lake, "-a");
            DataLake dataLake = new DataLake(config);
            try (ProfileLock held = ProfileLock.acquire(ProfileLock.fileOf(config.checkpointDir(), "p"), "p",
                    java.time.Clock.systemUTC())) {
                LakeException e = org.junit.jupiter.api.Assertions.assertThrows(LakeException.class,
                        () -> dataLake.sync("p", LakeFixture.options(), SyncListener.NONE));
                assertEquals(LakeException.Kind.LOCKED, e.kind());
            }
            while (opened.get() == 0 || closed.get() < opened.get()) {
                Thread.sleep(10); // the connection was made, then every SFTP session of it closed
            }
            assertEquals(Map.of(), LakeFixture.snapshot(lake.resolve("mirror")));
        }
    }

    /** A server that logs us in but refuses the "sftp" subsystem: a connection error that says so. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aServerWithoutTheSftpSubsystem_failsToConnectWithThatHint(@TempDir Path tmp) throws Exception {
        try (SftpTestServer server = SftpTestServer.builder(tmp.resolve("remote")).withoutSftpSubsystem().start()) {
            Path day = Files.createDirectories(server.servedRoot().resolve("gate_io_BTC-USDT_20241128"));
            SampleLake.writeFile(day.resolve("part_0.parquet"), 100, 1);
            DataLake dataLake = new DataLake(LakeFixture.config(server, lake, "-a"));

            LakeException e = org.junit.jupiter.api.Assertions.assertThrows(LakeException.class,
                    () -> dataLake.sync("p", LakeFixture.options(), SyncListener.NONE));

            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().startsWith("cannot open an SFTP session on "), e.getMessage());
            assertTrue(e.hint().orElse("").contains("sftp subsystem"), e.hint().toString());
            assertEquals(Map.of(), LakeFixture.snapshot(lake.resolve("mirror")));
        }
    }

    /**
     * A file spanning several {@link Transferer#FLUSH_EVERY} steps, so that background flushes run
     * while it is still being written, arrives whole and published. (That the flushes make BIG
     * faster is the benchmark's to show.)
     */
    @Test
    void aFileLargerThanTheEarlyFlushStep_arrivesWholeAndPublished(SftpTestServer server) throws Exception {
        byte[] data = new byte[(int) (Transferer.FLUSH_EVERY * 2 + 12_345)];
        new Random(11).nextBytes(data);
        Path remote = server.servedRoot().resolve("gate_io_BTC-USDT_20241128/part_00000.parquet");
        Files.createDirectories(remote.getParent());
        Files.write(remote, data);

        SyncReport report = new DataLake(LakeFixture.config(server, lake, "-a --partial"))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(data.length, report.bytesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    /**
     * Several files larger than the READ budget's share per file, all in flight at once. The
     * workers once took the budget a READ at a time while building a batch and waited when it ran
     * out: 16 files of 40 MiB left every worker waiting, each holding a part, and the sync hung
     * for good. A worker now waits for the budget only while it holds none of it.
     */
    @Test
    @Timeout(60)
    void manyLargeFilesAtOnce_neverWaitForEachOthersReadBudget(SftpTestServer server) throws Exception {
        Path day = Files.createDirectories(server.servedRoot().resolve("gate_io_BTC-USDT_20241128"));
        long total = 0;
        for (int i = 0; i < 12; i++) {
            long size = 9L * 1024 * 1024 + i * 4096;
            SampleLake.writeFile(day.resolve("part_" + i + ".parquet"), size, i);
            total += size;
        }
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial", p -> p.parallelFiles(12));

        SyncReport report = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
        assertEquals(total, report.bytesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    /**
     * Files under 1 MiB are read whole, 16 quarter-MiB files per call, and their bytes hold the
     * READ budget (32 MiB) until written. A group with a file that cannot be read must give its
     * share back too: here each of 12 groups (48 MiB in all) has one, so budget kept by failed
     * files would stop the sync for good after eight.
     */
    @Test
    @Timeout(60)
    void filesReadWholeInGroups_giveTheReadBudgetBack_evenWhenOneOfEachGroupFails(SftpTestServer server) throws Exception {
        Path day = Files.createDirectories(server.servedRoot().resolve("gate_io_BTC-USDT_20241128"));
        int files = 192;
        for (int i = 0; i < files; i++) {
            SampleLake.writeFile(day.resolve(String.format("part_%03d.parquet", i)), 256 * 1024, i);
        }
        for (int i = 0; i < files; i += 16) {
            server.denyPath(String.format("part_%03d.parquet", i));
        }
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial", p -> p.parallelFiles(4));

        SyncReport report = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.PARTIAL, report.status());
        Set<String> denied = new HashSet<>();
        for (int i = 0; i < files; i += 16) {
            denied.add("gate_io_BTC-USDT_20241128/" + String.format("part_%03d.parquet", i));
        }
        assertEquals(denied, report.errors().stream().map(PathError::path).collect(Collectors.toSet()));
        assertEquals(files - files / 16, report.filesTransferred());
        assertEquals((long) (files - files / 16) * 256 * 1024, report.bytesTransferred());
        Map<String, String> remote = LakeFixture.snapshot(server.servedRoot());
        Map<String, String> local = LakeFixture.snapshot(lake.resolve("mirror"));
        for (int i = 0; i < files; i++) {
            String rel = "gate_io_BTC-USDT_20241128/" + String.format("part_%03d.parquet", i);
            assertEquals(i % 16 == 0 ? null : remote.get(rel), local.get(rel), rel);
        }
    }
}
