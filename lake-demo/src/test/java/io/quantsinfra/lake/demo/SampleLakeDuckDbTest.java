package io.quantsinfra.lake.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sample lake is what a user points DuckDB at after the demo: every part must read as Parquet. */
class SampleLakeDuckDbTest {

    @TempDir
    Path temp;

    @Test
    void duckDbReadsTheWholeLakeWithTheRowsTheBuilderWrote() throws IOException, SQLException {
        SampleLake.Summary summary = SampleLake.builder().exchanges("gate_io", "binance").symbols("BTC-USDT", "ETH-USDT")
                .days(3).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2).partSize(1_000, 300_000).seed(11)
                .writeTo(temp);
        String glob = temp.toString().replace("'", "''") + "/**/*.parquet";
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement()) {
            try (ResultSet all = statement.executeQuery("SELECT count(*), count(DISTINCT filename), sum(qty),"
                    + " min(epoch_ms(ts)), max(epoch_ms(ts)) FROM read_parquet('" + glob + "', filename = true)")) {
                assertTrue(all.next());
                assertEquals(summary.rowsWritten(), all.getLong(1));
                assertEquals(summary.filesWritten(), all.getInt(2));
                assertTrue(all.getDouble(3) > 0 && all.getDouble(3) < 10.0 * summary.rowsWritten());
                assertEquals(LocalDate.of(2024, 11, 26).toEpochDay() * 86_400_000L, all.getLong(4), 60_000);
                assertEquals(LocalDate.of(2024, 11, 29).toEpochDay() * 86_400_000L, all.getLong(5), 60_000);
            }
            // each day's directory holds its own day: the timestamps follow the directory's date
            Map<String, Long> rowsByDay = new HashMap<>();
            try (ResultSet days = statement.executeQuery("SELECT day, count(*), bool_and(contains(filename, '_' || day || '/'))"
                    + " FROM (SELECT strftime(ts AT TIME ZONE 'UTC', '%Y%m%d') AS day, filename"
                    + " FROM read_parquet('" + glob + "', filename = true)) GROUP BY day ORDER BY day")) {
                while (days.next()) {
                    assertTrue(days.getBoolean(3), days.getString(1));
                    rowsByDay.put(days.getString(1), days.getLong(2));
                }
            }
            assertEquals(3, rowsByDay.size(), rowsByDay.toString());
            assertEquals(summary.rowsWritten(), rowsByDay.values().stream().mapToLong(Long::longValue).sum());
        }
        long bytes = 0;
        for (String relativePath : summary.relativePaths()) {
            bytes += Files.size(temp.resolve(relativePath));
        }
        assertEquals(summary.totalBytes(), bytes);
    }
}
