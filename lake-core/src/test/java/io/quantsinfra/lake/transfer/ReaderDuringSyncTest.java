package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.parquet.ParquetFixtures;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a data engineer sees: DuckDB queries the lake over and over while collectors append to
 * their parts and syncs run back to back. No query may fail on a half-written part, and once the
 * collectors are done the lake holds every row the source does.
 */
@ExtendWith(SftpServerExtension.class)
class ReaderDuringSyncTest {
    private static final int PARTS_BEING_WRITTEN = 6;
    private static final int ROWS_PER_PART = 20_000;

    @TempDir
    Path lake;
    @TempDir
    Path scratch;

    @Test
    void duckDbReadingTheLakeWhileItSyncs_neverFails_andEndsWithTheSourcesRows(SftpTestServer server) throws Exception {
        Path remote = server.servedRoot();
        for (int day = 0; day < 3; day++) {
            Path dir = Files.createDirectories(remote.resolve("gate_io_BTC-USDT_2024112" + day));
            for (int k = 0; k < 4; k++) {
                ParquetFixtures.write(dir.resolve("part_" + k + ".parquet"), rows(day * 4 + k), "");
            }
        }
        List<byte[]> coming = new ArrayList<>();
        for (int k = 0; k < PARTS_BEING_WRITTEN; k++) {
            coming.add(ParquetFixtures.bytes(ParquetFixtures.write(scratch.resolve(k + ".parquet"), rows(100 + k),
                    "ROW_GROUP_SIZE 5000")));
        }
        DataLake dataLake = new DataLake(LakeFixture.config(server, lake, "-a --partial"));
        assertEquals(Checkpoint.Status.SUCCESS, dataLake.sync("p", LakeFixture.options(), SyncListener.NONE).status());

        AtomicBoolean collecting = new AtomicBoolean(true);
        CompletableFuture<Void> collector = CompletableFuture.runAsync(() -> {
            try {
                Path today = Files.createDirectories(remote.resolve("gate_io_BTC-USDT_20241123"));
                for (int k = 0; k < coming.size(); k++) {
                    appendInSteps(today.resolve("part_" + k + ".parquet"), coming.get(k));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                collecting.set(false);
            }
        });
        java.util.concurrent.atomic.AtomicInteger heldBack = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Integer> syncs = CompletableFuture.supplyAsync(() -> {
            int runs = 0;
            while (collecting.get()) {
                SyncReport r = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
                assertEquals(List.of(), r.errors());
                heldBack.addAndGet(r.heldBack().size());
                runs++;
            }
            return runs;
        });

        int queries = 0;
        List<String> failures = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            while (!syncs.isDone() || queries < 10) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + lake.resolve("mirror")
                        + "/**/*.parquet')")) {
                    r.next();
                } catch (SQLException e) {
                    failures.add(e.getMessage());
                }
                queries++;
            }
        }
        collector.get(60, TimeUnit.SECONDS);
        int runs = syncs.get(60, TimeUnit.SECONDS);
        SyncReport last = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(List.of(), failures, "a reader never meets a half-written part (" + queries + " queries during "
                + runs + " syncs)");
        assertTrue(runs >= 2, "syncs ran while parts were being written: " + runs);
        assertTrue(heldBack.get() > 0, "the syncs met parts half written, and held them back");
        assertEquals(List.of(), last.heldBack());
        long source = (12 + PARTS_BEING_WRITTEN) * (long) ROWS_PER_PART;
        assertEquals(source, ParquetFixtures.queryLong("SELECT count(*) FROM read_parquet('" + remote + "/**/*.parquet')"));
        assertEquals(source, ParquetFixtures.queryLong("SELECT count(*) FROM read_parquet('" + lake.resolve("mirror")
                + "/**/*.parquet')"));
    }

    private static String rows(int part) {
        return "SELECT " + part + " AS part, i AS id, random() AS price FROM range(" + ROWS_PER_PART + ") t(i)";
    }

    /** Writes a part as a writer does: the header, then row groups a few at a time, the footer last. */
    private static void appendInSteps(Path file, byte[] whole) throws Exception {
        int[] ends = {4, whole.length / 4, whole.length / 2, whole.length * 3 / 4, whole.length - 8, whole.length};
        int at = 0;
        for (int end : ends) {
            Files.write(file, Arrays.copyOfRange(whole, at, end), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            at = end;
            Thread.sleep(60);
        }
    }
}
