package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.DeleteMode;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's own profile ({@code -az --partial --inplace --delete}, 30 days) against a collector
 * that purges its oldest days, over real sockets against the embedded server.
 */
@ExtendWith(SftpServerExtension.class)
class DeleteModesTest {
    private static final String SEED_ARGS = "-az --partial --inplace --delete";
    private static final Instant NOW = Instant.parse("2024-11-28T14:30:45Z");

    @TempDir
    Path lake;

    private static void day(SftpTestServer server, int day) throws IOException {
        Path dir = server.servedRoot().resolve(String.format("gate_io_BTC-USDT_202411%02d", day));
        for (int part = 1; part <= 2; part++) {
            SampleLake.writeFile(Files.createDirectories(dir).resolve("part_0000" + part + ".parquet"), 5_000 + part, day * 10 + part);
        }
    }

    private static void purge(SftpTestServer server, int day) throws IOException {
        Path dir = server.servedRoot().resolve(String.format("gate_io_BTC-USDT_202411%02d", day));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private DataLakeConfig config(SftpTestServer server, Consumer<DataLakeConfig.ProfileBuilder> extra) {
        return LakeFixture.config(server, lake, SEED_ARGS, p -> {
            p.retentionDays(30);
            extra.accept(p);
        });
    }

    private static SyncReport sync(DataLakeConfig config, Instant at) {
        return new DataLake(config).sync("p", LakeFixture.options().withClock(Clock.fixed(at, ZoneOffset.UTC)), SyncListener.NONE);
    }

    private List<String> localDays() throws IOException {
        try (Stream<Path> dirs = Files.list(lake.resolve("mirror"))) {
            return dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theCollectorsPurge_keepsTheLakesHistory_untilRetentionExpiresIt(SftpTestServer server) throws IOException {
        for (int d = 19; d <= 28; d++) {
            day(server, d);
        }
        DataLakeConfig config = config(server, p -> { });
        assertEquals(20, sync(config, NOW).filesTransferred());
        for (int d = 19; d <= 25; d++) {
            purge(server, d); // the collector's small disk keeps three days
        }

        SyncReport r = sync(config, NOW);

        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(0, r.filesDeleted());
        assertEquals(10, localDays().size(), "the lake still holds its ten days");
        assertEquals(7, r.plan().kept().size());
        assertTrue(r.plan().kept().get(0).reason().startsWith("the collector purged it: dated 2024-11-19"), r.plan().kept().toString());

        // a file removed inside a day the remote still has is mirrored as rsync would
        Files.delete(server.servedRoot().resolve("gate_io_BTC-USDT_20241127/part_00002.parquet"));
        SyncReport next = sync(config, NOW);
        assertEquals(1, next.filesDeleted());
        assertFalse(Files.exists(lake.resolve("mirror/gate_io_BTC-USDT_20241127/part_00002.parquet")));

        // the lake's own retention removes the old days when they expire: 2024-11-19 on 2024-12-20
        SyncReport later = sync(config, Instant.parse("2024-12-20T00:00:01Z"));
        assertEquals(Checkpoint.Status.SUCCESS, later.status());
        assertEquals(List.of("gate_io_BTC-USDT_20241119"),
                later.cleanup().orElseThrow().expired().stream().map(CleanupReport.Expired::name).toList());
        assertEquals(9, localDays().size());
    }

    @Test
    void mirrorMode_deletesThePurge_onceTheShareIsAllowed(SftpTestServer server) throws IOException {
        for (int d = 19; d <= 28; d++) {
            day(server, d);
        }
        DataLakeConfig mirror = config(server, p -> p.deleteMode(DeleteMode.MIRROR));
        sync(mirror, NOW);
        for (int d = 19; d <= 25; d++) {
            purge(server, d);
        }

        SyncReport refused = sync(mirror, NOW);
        assertEquals(Checkpoint.Status.PARTIAL, refused.status(), "the share guard refuses: 14 of 20 files");
        assertTrue(refused.deletionBlocked().orElseThrow().startsWith("--delete would remove 14 of the 20 local files"),
                refused.deletionBlocked().toString());
        assertEquals(10, localDays().size());

        SyncReport allowed = sync(config(server, p -> p.deleteMode(DeleteMode.MIRROR).maxDeletePercent(100)), NOW);
        assertEquals(Checkpoint.Status.SUCCESS, allowed.status());
        assertEquals(21, allowed.filesDeleted(), "7 directories and their 14 files");
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    @Test
    void aDryRun_saysWhichRuleKeptWhat(SftpTestServer server) throws IOException {
        for (int d = 26; d <= 28; d++) {
            day(server, d);
        }
        DataLakeConfig config = config(server, p -> { });
        sync(config, NOW);
        purge(server, 26);
        SyncReport dry = new DataLake(config).sync("p", LakeFixture.options().withDryRun(true)
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC)), SyncListener.NONE);
        assertEquals(List.of(new SyncPlan.Kept("gate_io_BTC-USDT_20241126", "the collector purged it: dated 2024-11-26,"
                + " not newer than the oldest day the remote still holds (2024-11-27); kept until retention expires it"
                + " on 2024-12-27 (delete_mode: mirror deletes it)")), dry.plan().kept());
        assertEquals(List.of(), dry.plan().deletions());
    }
}
