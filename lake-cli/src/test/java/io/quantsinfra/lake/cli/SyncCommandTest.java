package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.Units;
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
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync PROFILE} against the embedded SFTP server: the seed's scenarios 1 (first and repeat sync) and 2
 * (resume after a killed run), the profile lock, {@code --dry-run}, and usage errors.
 */
@ExtendWith(SftpServerExtension.class)
class SyncCommandTest {
    static final String RULE = "=".repeat(80);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path lake() {
        return dir.resolve("lake");
    }

    private Path config(SftpTestServer server) throws IOException {
        LakeConfigFile config = new LakeConfigFile(lake());
        config.profile("p", server);
        return config.writeTo(dir.resolve("data_lake.yml"));
    }

    private CliRunner.Result sync(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "data-lake";
        args[1] = "sync";
        args[2] = "--config";
        args[3] = dir.resolve("data_lake.yml").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return new CliRunner(dir).run(args);
    }

    private JsonNode checkpoint() throws IOException {
        return JSON.readTree(lake().resolve(".checkpoints/p.json").toFile());
    }

    @Test
    void firstSync_printsScenarioOne_mirrorsEveryByte_secondSyncTransfersNothing(SftpTestServer server) throws IOException {
        // 2 symbols x 3 days x 167 parts = 1,002 small files: enough for a thousands separator.
        SampleLake.Summary sample = SampleLake.builder().symbols("BTC-USDT", "ETH-USDT").days(3)
                .endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(167).partSize(100, 3000).seed(11)
                .writeTo(server.servedRoot());
        assertEquals(1002, sample.filesWritten());
        config(server);

        CliRunner.Result first = sync("p");

        assertEquals(ExitCode.OK, first.code(), first::toString);
        first.assertLinesInOrder(
                "Profile: p",
                Pattern.quote(RULE),
                Pattern.quote("Remote:  lake@127.0.0.1:/ (port " + server.port() + ")"),
                Pattern.quote("Local:   " + lake().resolve("p")),
                "Last sync: never",
                "Files transferred: 1,002",
                Pattern.quote("Bytes transferred: " + Units.bytes(sample.totalBytes())),
                "Duration: (\\d+\\.\\ds|\\d+m \\d+s)",
                "Deleted: 0 entries",
                "✓ Sync completed successfully");
        assertTrue(first.line("Bytes transferred: ").matches("Bytes transferred: \\d+\\.\\d (KB|MB)"), first::toString);
        assertFalse(first.out().contains("Resuming"), first::toString);
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(lake().resolve("p")));

        JsonNode cp = checkpoint();
        assertEquals("p", cp.get("profile_name").asText());
        assertEquals("success", cp.get("last_sync_status").asText());
        assertEquals(1002, cp.get("files_transferred").asLong());
        assertEquals(sample.totalBytes(), cp.get("bytes_transferred").asLong());
        assertEquals(0, cp.get("errors").size());
        assertEquals(0, cp.get("partials").size());
        Instant ended = Instant.parse(cp.get("last_sync_time").asText());
        assertEquals(ended, Instant.parse(cp.get("last_success_time").asText()));

        CliRunner.Result second = sync("p");

        assertEquals(ExitCode.OK, second.code(), second::toString);
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(ended.atZone(ZoneOffset.UTC));
        second.assertLinesInOrder(
                "Profile: p",
                Pattern.quote(RULE),
                "Last sync: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\(success\\)",
                "Files transferred: 0",
                "Bytes transferred: 0 B",
                "Deleted: 0 entries",
                "✓ Sync completed successfully");
        assertEquals("Last sync: " + when + " (success)", second.line("Last sync: "));
        assertFalse(second.out().contains("Resuming"), second::toString);
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(lake().resolve("p")));
        assertEquals(0, checkpoint().get("files_transferred").asLong());
        assertEquals("success", checkpoint().get("last_sync_status").asText());
    }

    @Test
    void runKilledMidway_nextRunSaysIncomplete_resumesThePartialFile_andTransfersOnlyTheRest(SftpTestServer server)
            throws IOException {
        // parts of at least 1 MiB: smaller files are read whole, and fetched again from their start
        SampleLake.Summary sample = SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3)
                .partSize(1_100_000, 1_300_000).seed(5).writeTo(server.servedRoot());
        config(server);
        Path remote = server.servedRoot();
        Path local = lake().resolve("p");
        // The killed run had published the first three files ...
        for (String done : sample.relativePaths().subList(0, 3)) {
            Files.createDirectories(local.resolve(done).getParent());
            Files.copy(remote.resolve(done), local.resolve(done), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        // ... and held 80,000 bytes of the fourth in its temporary file.
        String partialPath = sample.relativePaths().get(3);
        Path remoteFile = remote.resolve(partialPath);
        long held = 80_000;
        Path staging = local.resolve(partialPath).resolveSibling("." + remoteFile.getFileName() + ".lake-part");
        Files.createDirectories(staging.getParent());
        try (var in = Files.newInputStream(remoteFile)) {
            Files.write(staging, in.readNBytes((int) held));
        }
        long remoteMtime = Files.getLastModifiedTime(remoteFile).toInstant().getEpochSecond();
        Files.createDirectories(lake().resolve(".checkpoints"));
        Files.writeString(lake().resolve(".checkpoints/p.json"), "{\n"
                + "  \"profile_name\" : \"p\",\n"
                + "  \"last_sync_status\" : \"running\",\n"
                + "  \"started_at\" : \"2024-11-28T14:30:45Z\",\n"
                + "  \"last_sync_time\" : null,\n"
                + "  \"last_success_time\" : null,\n"
                + "  \"files_transferred\" : 0,\n"
                + "  \"bytes_transferred\" : 0,\n"
                + "  \"files_deleted\" : 0,\n"
                + "  \"duration_seconds\" : 0.0,\n"
                + "  \"errors\" : [ ],\n"
                + "  \"partials\" : [ { \"path\" : \"" + partialPath + "\", \"remote_size\" : " + Files.size(remoteFile)
                + ", \"remote_mtime\" : " + remoteMtime + ", \"bytes_held\" : " + held + " } ]\n"
                + "}\n");
        long rest = 0;
        for (String todo : sample.relativePaths().subList(3, 6)) {
            rest += Files.size(remote.resolve(todo));
        }
        // Resuming re-reads the last 64 KiB held to check that they still match the remote, and
        // the Parquet check reads the 4-byte head the resumed copy skipped.
        long expectedBytes = rest - held + Math.min(64 * 1024, held) + 4;

        CliRunner.Result r = sync("p");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        r.assertLinesInOrder(
                "Profile: p",
                Pattern.quote(RULE),
                "Last sync: 2024-11-28 14:30:45 \\(incomplete\\)",
                "Resuming from checkpoint\\.\\.\\.",
                "Files transferred: 3 \\(resumed\\)",
                Pattern.quote("Bytes transferred: " + Units.bytes(expectedBytes)),
                "Duration: .*",
                "Deleted: 0 entries",
                "✓ Sync completed successfully");
        assertEquals(TreeSnapshot.files(remote), TreeSnapshot.files(local));
        assertFalse(Files.exists(staging), "the temporary file was published or removed");
        JsonNode cp = checkpoint();
        assertEquals("success", cp.get("last_sync_status").asText());
        assertEquals(3, cp.get("files_transferred").asLong());
        assertEquals(expectedBytes, cp.get("bytes_transferred").asLong());
        assertEquals(0, cp.get("partials").size());
        assertTrue(Instant.parse(cp.get("started_at").asText()).isAfter(Instant.parse("2024-11-28T14:30:45Z")));
    }

    @Test
    void profileLockedByAnotherRun_exits4NamingThePid_thenSyncsOnceReleased(SftpTestServer server) throws IOException {
        SampleLake.builder().partsPerDay(2).seed(8).writeTo(server.servedRoot());
        config(server);
        Path lockFile = lake().resolve(".checkpoints/p.lock");

        CliRunner.Result locked;
        try (ProfileLock held = ProfileLock.acquire(lockFile, "p", Clock.systemUTC())) {
            locked = sync("p");
        }

        assertEquals(ExitCode.LOCKED, locked.code(), locked::toString);
        assertTrue(locked.err().contains("✗ Sync failed: profile p is locked by another run in this process (pid "
                + ProcessHandle.current().pid() + ", started "), locked::toString);
        assertTrue(locked.err().contains("  hint: wait for that sync of p to return"), locked::toString);
        assertFalse(locked.out().contains("Files transferred"), locked::toString);
        // The header waits for the run's first line; a run refused before it starts still shows it.
        locked.assertLinesInOrder("Profile: p", Pattern.quote(RULE), "Remote:  .*", "Local:   .*", "Started: .*");
        assertFalse(Files.exists(lake().resolve("p")), "nothing was mirrored while locked");
        assertFalse(Files.exists(lake().resolve(".checkpoints/p.json")), "the checkpoint was not touched while locked");

        CliRunner.Result after = sync("p");
        assertEquals(ExitCode.OK, after.code(), after::toString);
        after.assertLinesInOrder("Last sync: never", "Files transferred: 2", "✓ Sync completed successfully");
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(lake().resolve("p")));
    }

    @Test
    void dryRun_onAFreshLake_listsTheTransfers_andCreatesNothing(SftpTestServer server) throws IOException {
        SampleLake.Summary sample = SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3)
                .partSize(1000, 5000).seed(9).writeTo(server.servedRoot());
        config(server);
        Map<String, String> before = TreeSnapshot.of(dir);

        CliRunner.Result r = sync("p", "--dry-run");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertEquals(before, TreeSnapshot.of(dir), "a dry run changes nothing");
        assertFalse(Files.exists(lake()), "no lake root, checkpoint dir, lock or checkpoint was created");
        String bytes = Pattern.quote(Units.bytes(sample.totalBytes()));
        r.assertLinesInOrder(
                "Profile: p",
                Pattern.quote(RULE),
                "Last sync: never",
                "Dry run: nothing is changed\\.",
                "Would transfer: 6 files, " + bytes + " \\(remote holds 6 files, " + bytes + "\\)",
                "Would create: 2 directories",
                "✓ Dry run completed in .*");
        for (String path : sample.relativePaths()) {
            String size = Units.bytes(Files.size(server.servedRoot().resolve(path)));
            r.assertLinesInOrder("Would transfer: .*", Pattern.quote("  + " + path + "  " + size + "  new file"));
        }
        assertFalse(r.out().contains("Files transferred"), r::toString);
        assertFalse(r.out().contains("Sync completed"), r::toString);
    }

    @Test
    void dryRun_withDelete_listsTransfersAndDeletions_changesNothing_andTheRealRunDoesWhatItSaid(SftpTestServer server)
            throws IOException {
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 27)).partsPerDay(2).seed(10)
                .writeTo(server.servedRoot());
        LakeConfigFile config = new LakeConfigFile(lake());
        config.profile("p", server).rsyncArgs = "-a --partial --delete";
        config.writeTo(dir.resolve("data_lake.yml"));
        assertEquals(ExitCode.OK, sync("p").code());
        // Meanwhile the collector wrote a new day, and something not on the remote appeared locally.
        SampleLake.Summary newDay = SampleLake.builder().days(1).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2)
                .seed(10).writeTo(server.servedRoot());
        Path extra = lake().resolve("p/gate_io_BTC-USDT_20241127/stray.parquet");
        Files.writeString(extra, "not on the remote");
        Map<String, String> before = TreeSnapshot.of(dir);

        CliRunner.Result dry = sync("p", "--dry-run");

        assertEquals(ExitCode.OK, dry.code(), dry::toString);
        assertEquals(before, TreeSnapshot.of(dir), "a dry run changes nothing: files, mtimes, directories, checkpoint, lock");
        assertTrue(Files.exists(extra));
        dry.assertLinesInOrder(
                "Last sync: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\(success\\)",
                "Dry run: nothing is changed\\.",
                "Would transfer: 2 files, .* \\(remote holds 6 files, .*\\)",
                Pattern.quote("  + " + newDay.relativePaths().get(0) + "  64.0 KB  new file"),
                Pattern.quote("  + " + newDay.relativePaths().get(1) + "  64.0 KB  new file"),
                "Would create: 1 directories",
                "Would delete: 1 entries",
                Pattern.quote("  - gate_io_BTC-USDT_20241127/stray.parquet  not on the remote"),
                "✓ Dry run completed in .*");

        CliRunner.Result real = sync("p");

        assertEquals(ExitCode.OK, real.code(), real::toString);
        real.assertLinesInOrder("Files transferred: 2", "Bytes transferred: 128\\.0 KB", "Duration: .*",
                "Deleted: 1 entry", "✓ Sync completed successfully");
        assertFalse(Files.exists(extra));
        assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(lake().resolve("p")));
    }

    @Test
    void usageErrors_exit2_andChangeNothing(SftpTestServer server) throws IOException {
        LakeConfigFile config = new LakeConfigFile(lake());
        config.profile("p", server);
        config.profile("q", server);
        config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result none = sync();
        assertEquals(ExitCode.USAGE, none.code(), none::toString);
        assertTrue(none.err().contains("✗ name a profile, or --all; profiles: p, q"), none::toString);
        assertTrue(none.err().contains("run: quants-infra data-lake sync --help"), none::toString);

        CliRunner.Result unknown = sync("nope");
        assertEquals(ExitCode.USAGE, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("✗ unknown profile \"nope\"; profiles: p, q"), unknown::toString);

        CliRunner.Result both = sync("--all", "p");
        assertEquals(ExitCode.USAGE, both.code(), both::toString);
        assertTrue(both.err().contains("either --all or profile names, not both"), both::toString);

        CliRunner.Result typo = sync("p", "--dryrun");
        assertEquals(ExitCode.USAGE, typo.code(), typo::toString);
        assertTrue(typo.err().contains("✗ unknown option '--dryrun'"), typo::toString);

        for (CliRunner.Result r : List.of(none, unknown, both, typo)) {
            assertFalse(r.out().contains("Profile:"), r::toString);
            assertFalse(r.all().contains("at io.quantsinfra"), r::toString);
        }
        assertFalse(Files.exists(lake()), "usage errors change nothing");
    }

    @Test
    void help_exits0_withOptionsAndExamples() {
        CliRunner.Result help = new CliRunner(dir).run("data-lake", "sync", "--help");

        assertEquals(ExitCode.OK, help.code(), help::toString);
        assertTrue(help.out().contains("--all"), help::toString);
        assertTrue(help.out().contains("--dry-run"), help::toString);
        assertTrue(help.out().contains("--config"), help::toString);
        assertTrue(help.out().contains("Examples:\n  quants-infra data-lake sync cex_ticks\n"), help::toString);
        assertTrue(help.out().contains("  quants-infra data-lake sync cex_ticks --dry-run\n"), help::toString);
        assertEquals("", help.err());
    }
}
