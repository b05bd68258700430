package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.Units;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user reads about Parquet parts: the ones held back because a collector is still writing
 * them (named, not errors, exit 0), and the lake's rows in stats, as text and JSON.
 */
@ExtendWith(SftpServerExtension.class)
class ParquetPartsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITING = "gate_io_BTC-USDT_20241128/part_00009.parquet";

    @TempDir
    Path dir;
    private SampleLake.Summary sample;
    private Path config;

    @BeforeEach
    void lake(SftpTestServer server) throws IOException {
        sample = SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2).partSize(20_000)
                .seed(3).writeTo(server.servedRoot());
        byte[] header = Arrays.copyOf("PAR1".getBytes(), 5000); // a writer's first row group on its way
        Files.write(server.servedRoot().resolve(WRITING), header);
        LakeConfigFile file = new LakeConfigFile(dir.resolve("lake"));
        file.profile("p", server);
        config = file.writeTo(dir.resolve("data_lake.yml"));
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "data-lake";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        return new CliRunner(dir).run(all);
    }

    @Test
    void sync_namesTheHeldBackPart_andStillSucceeds() {
        CliRunner.Result r = run("sync", "p");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        r.assertLinesInOrder(
                "Files transferred: " + sample.filesWritten(),
                "Held back: 1 Parquet part not complete yet \\(a collector is still writing; retried next run\\)",
                "  ~ " + WRITING + ": incomplete Parquet: no footer yet",
                "✓ Sync completed successfully");
        assertFalse(Files.exists(dir.resolve("lake/p").resolve(WRITING)));
    }

    @Test
    void syncJson_listsTheHeldBackPart_andStatsJson_countsTheRows() throws IOException {
        CliRunner.Result r = run("sync", "p", "--format", "json");
        assertEquals(ExitCode.OK, r.code(), r::toString);
        JsonNode p = JSON.readTree(r.out()).get("profiles").get(0);
        assertEquals("success", p.get("status").textValue());
        assertEquals(1, p.get("files_held_back").intValue());
        assertEquals(WRITING, p.get("held_back").get(0).get("path").textValue());
        assertEquals("incomplete Parquet: no footer yet", p.get("held_back").get(0).get("reason").textValue());
        assertEquals(5000, p.get("held_back").get(0).get("remote_size").longValue());

        JsonNode stats = JSON.readTree(run("stats", "p", "--format", "json").out()).get("profiles").get(0);
        assertEquals(sample.rowsWritten(), stats.get("rows").longValue());
        assertEquals(2, stats.get("rows_by_date").size());
        assertEquals(sample.rowsWritten(), stats.get("rows_by_date").get("2024-11-27").longValue()
                + stats.get("rows_by_date").get("2024-11-28").longValue());
        assertEquals(0, stats.get("parquet_parts_unread").longValue());
        assertEquals(WRITING, stats.get("held_back").get(0).get("path").textValue());
    }

    @Test
    void statsText_showsRows_andPerDayWithVerbose() {
        assertEquals(ExitCode.OK, run("sync", "p").code());

        CliRunner.Result plain = run("stats", "p");
        assertTrue(plain.out().contains("Rows:            " + Units.count(sample.rowsWritten())), plain::toString);
        assertTrue(plain.out().contains("Held back:       1 Parquet part not complete at the last sync"), plain::toString);
        assertFalse(plain.out().contains("2024-11-27 "), plain::toString);

        CliRunner.Result verbose = run("stats", "p", "-v");
        assertTrue(verbose.out().contains("  2024-11-27"), verbose::toString);
        assertTrue(verbose.out().contains("  " + WRITING + ": incomplete Parquet: no footer yet"), verbose::toString);
    }
}
