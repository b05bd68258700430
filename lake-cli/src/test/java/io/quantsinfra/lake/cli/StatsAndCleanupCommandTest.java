package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.plan.Retention;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code stats} (table and JSON) and {@code cleanup} (real and dry run) through the CLI. */
@ExtendWith(SftpServerExtension.class)
class StatsAndCleanupCommandTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path config;
    private Path mirror;

    @BeforeEach
    void setUp(SftpTestServer server) throws IOException {
        LakeConfigFile file = new LakeConfigFile(dir.resolve("lake"));
        file.profile("p", server).retentionDays = 30;
        config = file.writeTo(dir.resolve("data_lake.yml"));
        mirror = dir.resolve("lake/p");
    }

    private CliRunner.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("data-lake"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return new CliRunner(dir).run(all.toArray(String[]::new));
    }

    private void expiredLocalDir(LocalDate day, long bytes) throws IOException {
        Path d = mirror.resolve(SampleLake.directoryName("gate_io", "OLD-USDT", day));
        Files.createDirectories(d);
        SampleLake.writeFile(d.resolve("part_00001.parquet"), bytes, day.toEpochDay());
    }

    @Test
    void stats_ofAProfileNeverSynced_withoutItsDirectory() throws IOException {
        CliRunner.Result table = cli("stats", "p");
        assertEquals(ExitCode.OK, table.code(), table::toString);
        table.assertLinesInOrder("Profile: p", "=+", "Local path: +\\Q" + mirror + "\\E \\(not created yet\\)",
                "Remote source: +lake@127.0.0.1:/", "Data size: +0 B", "Files: +0", "Earliest data: +none",
                "Latest data: +none", "Last sync: +never", "Retention: +30 days \\(cutoff " + TODAY.minusDays(30) + "\\)",
                "Partial files: +0", "Expired: +0 directories waiting for cleanup");

        JsonNode p = new ObjectMapper().readTree(cli("stats", "p", "--format", "json").out()).get("profiles").get(0);
        assertFalse(p.get("local_exists").booleanValue());
        assertTrue(p.get("last_sync_time").isNull());
        assertTrue(p.get("last_sync_status").isNull());
        assertTrue(p.get("earliest_date").isNull());
        assertEquals(0, p.get("files").longValue());
        assertFalse(Files.exists(mirror), "stats creates nothing");
    }

    @Test
    void stats_afterASync_fieldByField_tableAndJson(SftpTestServer server) throws IOException {
        SampleLake.Summary sample = SampleLake.builder().symbols("BTC-USDT").days(40).endingOn(TODAY).partsPerDay(2)
                .partSize(1000, 3000).seed(5).writeTo(server.servedRoot());
        assertEquals(ExitCode.OK, cli("sync", "p").code());
        Retention window = new Retention(30, ZoneOffset.UTC, Clock.systemUTC());
        long syncedFiles = sample.relativePaths().stream().filter(r -> !window.isExpired(r.split("/")[0])).count();
        expiredLocalDir(TODAY.minusDays(35), 4000);
        expiredLocalDir(TODAY.minusDays(40), 6000);
        long bytes;
        try (var files = Files.walk(mirror)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }

        CliRunner.Result table = cli("stats", "p");
        assertEquals(ExitCode.OK, table.code(), table::toString);
        table.assertLinesInOrder("Profile: p", "Local path: +\\Q" + mirror + "\\E", "Remote source: +lake@127.0.0.1:/",
                "Data size: +\\Q" + Units.bytes(bytes) + "\\E", "Files: +" + (syncedFiles + 2),
                "Earliest data: +" + TODAY.minusDays(40), "Latest data: +" + TODAY,
                "Last sync: +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\((just now|1 minute ago), success\\)",
                "Retention: +30 days \\(cutoff " + TODAY.minusDays(30) + "\\)", "Partial files: +0",
                "Expired: +2 directories waiting for cleanup \\(9.8 KB\\)");

        JsonNode doc = new ObjectMapper().readTree(cli("stats", "--all", "--format", "json").out());
        assertEquals(1, doc.get("profiles").size());
        JsonNode p = doc.get("profiles").get(0);
        assertEquals("p", p.get("profile").textValue());
        assertEquals(mirror.toString(), p.get("local_path").textValue());
        assertTrue(p.get("local_exists").booleanValue());
        assertEquals("lake@127.0.0.1:/", p.get("remote_source").textValue());
        assertEquals(bytes, p.get("data_bytes").longValue());
        assertEquals(syncedFiles + 2, p.get("files").longValue());
        assertEquals(TODAY.minusDays(40).toString(), p.get("earliest_date").textValue());
        assertEquals(TODAY.toString(), p.get("latest_date").textValue());
        assertEquals("success", p.get("last_sync_status").textValue());
        Instant last = Instant.parse(p.get("last_sync_time").textValue());
        assertEquals(0, last.getNano(), "times are whole seconds");
        assertTrue(Math.abs(last.getEpochSecond() - Clock.systemUTC().instant().getEpochSecond()) < 600);
        assertEquals(p.get("last_sync_time"), p.get("last_success_time"));
        assertTrue(p.get("last_cleanup_time").isTextual(), "sync ran cleanup");
        assertEquals(30, p.get("retention_days").intValue());
        assertEquals(TODAY.minusDays(30).toString(), p.get("cutoff_date").textValue());
        assertEquals(0, p.get("partial_files").intValue());
        assertEquals(0, p.get("partial_bytes").longValue());
        assertEquals(List.of(SampleLake.directoryName("gate_io", "OLD-USDT", TODAY.minusDays(40)),
                SampleLake.directoryName("gate_io", "OLD-USDT", TODAY.minusDays(35))),
                List.of(p.get("expired_directories").get(0).textValue(), p.get("expired_directories").get(1).textValue()));
        assertEquals(10_000, p.get("expired_bytes").longValue());
    }

    @Test
    void cleanup_dryRunThenReal_andTheCheckpointRecordsIt() throws IOException {
        expiredLocalDir(TODAY.minusDays(35), 4000);
        expiredLocalDir(TODAY.minusDays(40), 6000);
        Path recent = mirror.resolve(SampleLake.directoryName("gate_io", "NEW-USDT", TODAY.minusDays(30)));
        Files.createDirectories(recent);
        Files.createDirectories(mirror.resolve("notes"));

        CliRunner.Result dry = cli("cleanup", "p", "--dry-run");
        assertEquals(ExitCode.OK, dry.code(), dry::toString);
        dry.assertLinesInOrder("Profile: p", "Cleaning up old data \\(retention: 30 days\\)\\.\\.\\.",
                "Cutoff date: " + TODAY.minusDays(30), "Would delete: 2 directories", "  gate_io_OLD-USDT_.*", "  gate_io_OLD-USDT_.*",
                "Would free: 9.8 KB", "  kept: notes  \\(unknown date\\)", "✓ Dry run: nothing was deleted");
        assertTrue(Files.exists(mirror.resolve(SampleLake.directoryName("gate_io", "OLD-USDT", TODAY.minusDays(40)))));
        assertFalse(Files.exists(dir.resolve("lake/.checkpoints/p.json")), "a dry run records nothing");

        CliRunner.Result real = cli("cleanup", "p");
        assertEquals(ExitCode.OK, real.code(), real::toString);
        real.assertLinesInOrder("Cutoff date: " + TODAY.minusDays(30), "Deleted: 2 directories", "Freed space: 9.8 KB",
                "✓ Cleanup completed");
        assertFalse(Files.exists(mirror.resolve(SampleLake.directoryName("gate_io", "OLD-USDT", TODAY.minusDays(40)))));
        assertTrue(Files.exists(recent), "the cutoff day itself stays");
        assertTrue(Files.exists(mirror.resolve("notes")));
        JsonNode checkpoint = new ObjectMapper().readTree(dir.resolve("lake/.checkpoints/p.json").toFile());
        assertTrue(checkpoint.get("last_cleanup_time").isTextual());
        assertEquals(2, checkpoint.get("cleanup_dirs_deleted").intValue());
        assertEquals(10_000, checkpoint.get("cleanup_bytes_freed").longValue());
    }

    @Test
    void cleanup_refusesWhileTheProfileIsLocked() throws IOException {
        try (ProfileLock held = ProfileLock.acquire(dir.resolve("lake/.checkpoints/p.lock"), "p", Clock.systemUTC())) {
            CliRunner.Result r = cli("cleanup", "p");
            assertEquals(ExitCode.LOCKED, r.code(), r::toString);
            assertTrue(r.err().contains("locked by another run in this process (pid " + ProcessHandle.current().pid()), r::toString);
        }
    }

    @Test
    void sync_runsCleanupAfterwards_unlessNoCleanup(SftpTestServer server) throws IOException {
        SampleLake.builder().days(2).endingOn(TODAY).writeTo(server.servedRoot());
        expiredLocalDir(TODAY.minusDays(40), 6000);
        CliRunner.Result skipped = cli("sync", "p", "--no-cleanup");
        assertEquals(ExitCode.OK, skipped.code(), skipped::toString);
        assertFalse(skipped.out().contains("Cleaning up"), skipped::toString);
        assertEquals(0, skipped.lines().stream().filter(l -> l.startsWith("Deleted: 1")).count(), "--delete is not set; expired data is not deleted by sync");

        CliRunner.Result cleaned = cli("sync", "p");
        cleaned.assertLinesInOrder("Files transferred: 0", "Updating checkpoint\\.\\.\\.",
                "Cleaning up old data \\(retention: 30 days\\)\\.\\.\\.", "Cutoff date: " + TODAY.minusDays(30),
                "Deleted: 1 directory", "  gate_io_OLD-USDT_.*", "Freed space: 5.9 KB", "✓ Sync completed successfully");
    }
}
