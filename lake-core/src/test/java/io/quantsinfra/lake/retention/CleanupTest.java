package io.quantsinfra.lake.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.state.ProfileLock;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Retention cleanup on a real directory tree, and the sync that respects the window. */
@ExtendWith(SftpServerExtension.class)
class CleanupTest {
    private static final Clock NOV_28 = Clock.fixed(Instant.parse("2024-11-28T14:30:45Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Path mirror() {
        return tmp.resolve("lake/mirror");
    }

    private void file(String rel, long size) throws IOException {
        Path p = mirror().resolve(rel);
        Files.createDirectories(p.getParent());
        SampleLake.writeFile(p, size, rel.hashCode());
    }

    private DataLakeConfig config(SftpTestServer server, int retentionDays) {
        return LakeFixture.config(server, tmp.resolve("lake"), "-a --partial --delete", p -> p.retentionDays(retentionDays));
    }

    @Test
    void cleanup_deletesExpiredDirectories_keepsUndatedSymlinksAndRecent(SftpTestServer server) throws IOException {
        file("gate_io_A_20241027/part_00001.parquet", 1000);
        file("gate_io_A_20241028/part_00001.parquet", 2000);
        file("gate_io_A_20241028/sub/part_00002.parquet", 500);
        file("gate_io_A_20241029/part_00001.parquet", 3000);
        file("notes_nodate/readme.txt", 10);
        file("bad_20240230/part_00001.parquet", 10);
        file("top_20200101.parquet", 10); // a file, not a directory: never cleaned
        Path outside = tmp.resolve("outside_20200101");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("victim"), "keep me");
        Files.createSymbolicLink(mirror().resolve("link_20200101"), outside);
        Files.createDirectories(tmp.resolve("lake/.checkpoints"));

        DataLake lake = new DataLake(config(server, 30));
        CleanupReport dry = lake.cleanup("p", LakeFixture.options().withClock(NOV_28).withDryRun(true), SyncListener.NONE);
        assertEquals(List.of("gate_io_A_20241027", "gate_io_A_20241028"), dry.expired().stream().map(CleanupReport.Expired::name).toList());
        assertEquals(3500, dry.bytesFreed());
        assertTrue(Files.exists(mirror().resolve("gate_io_A_20241027")), "a dry run deletes nothing");
        assertFalse(Files.exists(tmp.resolve("lake/.checkpoints/p.lock")), "a dry run takes no lock");

        CleanupReport real = lake.cleanup("p", LakeFixture.options().withClock(NOV_28), SyncListener.NONE);
        assertEquals(Instant.parse("2024-11-28T14:30:45Z").atZone(ZoneOffset.UTC).toLocalDate().minusDays(30), real.cutoff().orElseThrow());
        assertEquals(LocalDate.of(2024, 10, 29), real.cutoff().orElseThrow());
        assertEquals(3500, real.bytesFreed());
        assertEquals(List.of("bad_20240230", "notes_nodate"), real.unknownDate());
        assertFalse(Files.exists(mirror().resolve("gate_io_A_20241027")));
        assertFalse(Files.exists(mirror().resolve("gate_io_A_20241028")));
        assertTrue(Files.exists(mirror().resolve("gate_io_A_20241029/part_00001.parquet")));
        assertTrue(Files.exists(mirror().resolve("notes_nodate/readme.txt")));
        assertTrue(Files.exists(mirror().resolve("bad_20240230/part_00001.parquet")));
        assertTrue(Files.exists(mirror().resolve("top_20200101.parquet")));
        assertTrue(Files.isSymbolicLink(mirror().resolve("link_20200101")));
        assertEquals("keep me", Files.readString(outside.resolve("victim")));

        Checkpoint c = lake.checkpoint("p");
        assertEquals(Instant.parse("2024-11-28T14:30:45Z"), c.lastCleanupTime());
        assertEquals(2, c.cleanupDirsDeleted());
        assertEquals(3500, c.cleanupBytesFreed());
    }

    @Test
    void cleanup_takesTheProfileLock(SftpTestServer server) throws IOException {
        DataLakeConfig config = config(server, 30);
        try (ProfileLock held = ProfileLock.acquire(config.checkpointDir().resolve("p.lock"), "p", NOV_28)) {
            LakeException e = org.junit.jupiter.api.Assertions.assertThrows(LakeException.class,
                    () -> new DataLake(config).cleanup("p", LakeFixture.options().withClock(NOV_28), SyncListener.NONE));
            assertEquals(LakeException.Kind.LOCKED, e.kind());
        }
    }

    @Test
    void cleanup_warnsAboutAnUnreadableCheckpoint_likeSync(SftpTestServer server) throws IOException {
        file("gate_io_A_20241001/part_00001.parquet", 10);
        Path checkpoint = tmp.resolve("lake/.checkpoints/p.json");
        Files.createDirectories(checkpoint.getParent());
        Files.writeString(checkpoint, "{ not json");
        List<String> warnings = new java.util.ArrayList<>();
        CleanupReport r = new DataLake(config(server, 30)).cleanup("p", LakeFixture.options().withClock(NOV_28),
                new SyncListener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                });
        assertEquals(1, r.expired().size());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("is unreadable") && warnings.get(0).contains("moved it to"), warnings.get(0));
    }

    @Test
    void syncRespectsTheWindow_remoteKeeps60Days_localKeeps30_secondSyncDownloadsNothing(SftpTestServer server)
            throws IOException {
        SampleLake.builder().symbols("BTC-USDT").days(60).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2)
                .partSize(2000).writeTo(server.servedRoot());
        DataLake lake = new DataLake(config(server, 30));
        SyncOptions options = LakeFixture.options().withClock(NOV_28);

        SyncReport first = lake.sync("p", options, SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        assertEquals(31 * 2, first.filesTransferred(), "only 2024-10-29 .. 2024-11-28 are in the window");
        assertEquals(29, first.plan().expired().size());
        assertEquals(0, first.cleanup().orElseThrow().expired().size());

        CleanupReport cleanup = lake.cleanup("p", options, SyncListener.NONE);
        assertEquals(0, cleanup.expired().size());

        SyncReport second = lake.sync("p", options, SyncListener.NONE);
        assertEquals(0, second.filesTransferred());
        assertEquals(0, second.bytesTransferred());
        assertEquals(0, second.filesDeleted());
    }

    @Test
    void aDayLater_syncDoesNotDeleteExpiredDataWithDelete_cleanupDoes(SftpTestServer server) throws IOException {
        SampleLake.builder().symbols("BTC-USDT").days(40).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(1)
                .partSize(1000).writeTo(server.servedRoot());
        DataLake lake = new DataLake(config(server, 30));
        lake.sync("p", LakeFixture.options().withClock(NOV_28).withCleanup(false), SyncListener.NONE);
        assertTrue(Files.exists(mirror().resolve("gate_io_BTC-USDT_20241029")));

        Clock nextDay = Clock.offset(NOV_28, java.time.Duration.ofDays(1));
        SyncReport r = lake.sync("p", LakeFixture.options().withClock(nextDay), SyncListener.NONE);
        assertEquals(0, r.filesDeleted(), "expired data is retention's business, not --delete's");
        CleanupReport c = r.cleanup().orElseThrow();
        assertEquals(List.of("gate_io_BTC-USDT_20241029"), c.expired().stream().map(CleanupReport.Expired::name).toList());
        assertFalse(Files.exists(mirror().resolve("gate_io_BTC-USDT_20241029")));
    }

    @Test
    void stats_countsFilesDatesPartialsAndExpired_withoutTheNetwork(SftpTestServer server) throws IOException {
        file("gate_io_A_20241027/part_00001.parquet", 1000);
        file("gate_io_A_20241029/part_00001.parquet", 3000);
        file("gate_io_A_20241128/part_00001.parquet", 500);
        file("gate_io_A_20241128/.part_00002.parquet.lake-part", 777);
        DataLake lake = new DataLake(config(server, 30));
        server.close(); // stats never needs the remote host
        Stats s = lake.stats("p", NOV_28);
        assertTrue(s.localExists());
        assertEquals(3, s.files());
        assertEquals(4500, s.dataBytes());
        assertEquals(LocalDate.of(2024, 10, 27), s.earliestDate().orElseThrow());
        assertEquals(LocalDate.of(2024, 11, 28), s.latestDate().orElseThrow());
        assertEquals(List.of("gate_io_A_20241027"), s.expiredDirectories());
        assertEquals(1000, s.expiredBytes());
        assertEquals(null, s.checkpoint().lastSyncStatus());
    }

    @Test
    void stats_ofANeverSyncedProfileWithoutALocalDirectory(SftpTestServer server) {
        Stats s = new DataLake(config(server, 30)).stats("p", NOV_28);
        assertFalse(s.localExists());
        assertEquals(0, s.files());
        assertTrue(s.earliestDate().isEmpty());
        assertEquals(0, s.partialFiles());
    }
}
