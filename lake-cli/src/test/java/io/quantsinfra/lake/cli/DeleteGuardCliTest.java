package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's profile ({@code -az --partial --inplace --delete}) through the CLI against the
 * embedded server, when the collector purges its old days, and when its disk comes back nearly
 * empty: the lake keeps its data and says why, with the documented exit codes.
 */
@ExtendWith(SftpServerExtension.class)
class DeleteGuardCliTest {
    private static final String SEED_ARGS = "-az --partial --inplace --delete";

    @TempDir
    Path dir;

    private static Path day(Path remote, int day) throws IOException {
        Path d = Files.createDirectories(remote.resolve(String.format("gate_io_BTC-USDT_202411%02d", day)));
        for (int part = 1; part <= 3; part++) {
            SampleLake.writeFile(d.resolve("part_0000" + part + ".parquet"), 4_000 + part, day * 10L + part);
        }
        return d;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** A lake holding ten days, synced from {@code server}; returns the config file. */
    private Path syncedLake(SftpTestServer server, String... extra) throws IOException {
        for (int d = 19; d <= 28; d++) {
            day(server.servedRoot(), d);
        }
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        LakeConfigFile.ProfileYaml p = config.profile("ticks", server);
        p.rsyncArgs = SEED_ARGS;
        p.extra.addAll(java.util.List.of(extra));
        Path file = config.writeTo(dir.resolve("data_lake.yml"));
        CliRunner.Result first = sync(file);
        assertEquals(ExitCode.OK, first.code(), first::toString);
        return file;
    }

    private CliRunner.Result sync(Path config, String... more) {
        String[] args = Stream.concat(Stream.of("data-lake", "sync", "ticks", "--config", config.toString()), Stream.of(more))
                .toArray(String[]::new);
        return new CliRunner(dir).run(args);
    }

    private Path lake() {
        return dir.resolve("lake/ticks");
    }

    @Test
    void theCollectorsPurge_keepsTheLakesTenDays_andSaysSo(SftpTestServer server) throws IOException {
        Path config = syncedLake(server);
        Map<String, String> before = TreeSnapshot.files(lake());
        for (int d = 19; d <= 25; d++) {
            deleteTree(server.servedRoot().resolve(String.format("gate_io_BTC-USDT_202411%02d", d)));
        }

        CliRunner.Result dry = sync(config, "--dry-run");
        assertEquals(ExitCode.OK, dry.code(), dry::toString);
        dry.assertLinesInOrder("Kept: 7 directories the remote no longer has \\(the collector purged them; retention decides\\):",
                "  = gate_io_BTC-USDT_20241119  the collector purged it: dated 2024-11-19, not newer than the oldest day"
                        + " the remote still holds \\(2024-11-26\\); kept for good \\(retention_days: 0 keeps data forever\\)"
                        + " \\(delete_mode: mirror deletes it\\)");

        CliRunner.Result r = sync(config);
        assertEquals(ExitCode.OK, r.code(), r::toString);
        r.assertLinesInOrder("Deleted: 0 entries",
                "Kept: 7 directories the remote no longer has \\(the collector purged them; retention decides\\); -v lists them",
                "✓ Sync completed successfully");
        assertEquals(before, TreeSnapshot.files(lake()), "the lake still holds its ten days");

        JsonNode json = new ObjectMapper().readTree(sync(config, "--format", "json").out());
        assertEquals(7, json.at("/profiles/0/plan/kept").size(), json::toString);
        assertEquals("gate_io_BTC-USDT_20241119", json.at("/profiles/0/plan/kept/0/path").asText());
    }

    @Test
    void inMirrorMode_thePurgeIsRefusedByTheShareGuard_exit1(SftpTestServer server) throws IOException {
        Path config = syncedLake(server, "delete_mode: mirror");
        Map<String, String> before = TreeSnapshot.files(lake());
        for (int d = 19; d <= 25; d++) {
            deleteTree(server.servedRoot().resolve(String.format("gate_io_BTC-USDT_202411%02d", d)));
        }
        CliRunner.Result r = sync(config);
        assertEquals(ExitCode.PARTIAL, r.code(), r::toString);
        r.assertLinesInOrder("Deleted: 0 entries \\(deletion refused: --delete would remove 21 of the 30 local files it"
                + " covers \\(70 %\\), more than max_delete_percent 50; .*\\)", "✗ Sync partly failed: .*");
        assertEquals(before, TreeSnapshot.files(lake()));
    }

    /** The three ways a collector's disk comes back nearly empty. */
    private enum NearlyEmpty { LOST_AND_FOUND, ONLY_TODAYS_EMPTY_DIRECTORY, ONE_NEW_FILE }

    private static void clear(Path d) throws IOException {
        try (Stream<Path> top = Files.list(d)) {
            for (Path p : top.toList()) {
                deleteTree(p);
            }
        }
    }

    private void makeNearlyEmpty(Path remote, NearlyEmpty how) throws IOException {
        clear(remote);
        switch (how) {
            case LOST_AND_FOUND -> Files.createDirectories(remote.resolve("lost+found"));
            case ONLY_TODAYS_EMPTY_DIRECTORY -> Files.createDirectories(remote.resolve("gate_io_BTC-USDT_20241128"));
            case ONE_NEW_FILE -> SampleLake.writeFile(Files.createDirectories(remote.resolve("gate_io_BTC-USDT_20241128"))
                    .resolve("part_00004.parquet"), 1_000, 99);
        }
    }

    @Test
    void aNearlyEmptyRemote_neverWipesTheLake_inEitherMode(SftpTestServer server) throws IOException {
        for (String mode : new String[] {"retention", "mirror"}) {
            for (NearlyEmpty how : NearlyEmpty.values()) {
                clear(dir);
                clear(server.servedRoot());
                Path config = syncedLake(server, "delete_mode: " + mode);
                Map<String, String> before = TreeSnapshot.files(lake());
                makeNearlyEmpty(server.servedRoot(), how);

                CliRunner.Result r = sync(config);

                String c = mode + ", " + how;
                Map<String, String> after = TreeSnapshot.files(lake());
                after.remove("gate_io_BTC-USDT_20241128/part_00004.parquet"); // the one new file arrives
                assertEquals(before, after, c + ": every file of the lake is still there\n" + r);
                boolean nothingPlanned = mode.equals("retention") && how == NearlyEmpty.LOST_AND_FOUND; // every day is kept
                assertEquals(nothingPlanned ? ExitCode.OK : ExitCode.PARTIAL, r.code(), c + "\n" + r);
                if (!nothingPlanned) {
                    assertTrue(r.line("Deleted: 0 entries (deletion refused: ").contains(
                            how == NearlyEmpty.ONE_NEW_FILE ? "more than max_delete_percent 50" : "holds no files"), c + "\n" + r);
                }
            }
        }
    }
}
