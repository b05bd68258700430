package io.quantsinfra.lake.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetPartWriterTest {

    private static final LocalDate DAY = LocalDate.of(2025, 1, 31);
    private static final byte[] PAR1 = {'P', 'A', 'R', '1'};

    @TempDir
    Path temp;

    private final ParquetPartWriter writer = new ParquetPartWriter();

    @Test
    void fileIsExactlyTheSizeAskedWithAsManyRowsAsFit() throws IOException {
        long smallest = ParquetPartWriter.smallestSize();
        // around the smallest file, across one row's width, and where the footer's varints grow
        long[] sizes = {smallest, smallest + 1, smallest + 23, smallest + 24, smallest + 25, 1_000, 16_384,
            65_536, 1_048_576, 3_000_001};
        for (long size : sizes) {
            Path file = temp.resolve("part_" + size + ".parquet");
            ParquetPartWriter.Written written = writer.write(file, size, size, DAY);
            assertEquals(size, written.bytes(), "size " + size);
            assertEquals(size, Files.size(file), "size " + size);
            FileMetaData footer = footer(file);
            assertEquals(written.rows(), footer.getNum_rows(), "size " + size);
            assertEquals(1, footer.getRow_groupsSize());
            assertEquals(written.rows(), footer.getRow_groups().get(0).getNum_rows());
            assertEquals("quants-infra demo", footer.getCreated_by());
            // as many rows as fit; the rest is padding
            assertTrue(ParquetPartWriter.length(written.rows()) <= size, "size " + size + ": " + written);
            assertTrue(ParquetPartWriter.length(written.rows() + 1) > size, "size " + size + ": " + written);
        }
    }

    @Test
    void aSizeBelowOneRowGivesTheSmallestFile() throws IOException {
        for (long size : new long[] {0, 1, 100, ParquetPartWriter.smallestSize() - 1}) {
            Path file = temp.resolve("tiny_" + size + ".parquet");
            ParquetPartWriter.Written written = writer.write(file, size, 1, DAY);
            assertEquals(new ParquetPartWriter.Written(1, ParquetPartWriter.smallestSize()), written);
            assertEquals(ParquetPartWriter.smallestSize(), Files.size(file));
        }
        assertThrows(IllegalArgumentException.class, () -> writer.write(temp.resolve("x"), -1, 1, DAY));
    }

    @Test
    void sameArgumentsGiveSameBytesAndOtherSeedsOtherValues() throws IOException {
        writer.write(temp.resolve("a"), 100_000, 7, DAY);
        new ParquetPartWriter().write(temp.resolve("b"), 100_000, 7, DAY);
        writer.write(temp.resolve("c"), 100_000, 8, DAY);
        byte[] a = Files.readAllBytes(temp.resolve("a"));
        assertArrayEquals(a, Files.readAllBytes(temp.resolve("b")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(temp.resolve("c"))));
    }

    @Test
    void duckDbReadsTheColumns() throws IOException, SQLException {
        Path file = temp.resolve("part_00001.parquet");
        ParquetPartWriter.Written written = writer.write(file, 200_000, 3, DAY);
        long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*), min(epoch_ms(ts)), max(epoch_ms(ts)),"
                        + " min(qty), max(qty), max(price) / min(price), typeof(any_value(ts)),"
                        + " bool_and(ts >= lag_ts) FROM (SELECT *, lag(ts, 1, ts) OVER () AS lag_ts"
                        + " FROM read_parquet('" + file + "'))")) {
            assertTrue(rows.next());
            assertEquals(written.rows(), rows.getLong(1));
            assertTrue(rows.getLong(2) >= dayStart && rows.getLong(3) < dayStart + 86_400_000L);
            assertTrue(rows.getDouble(4) >= 0 && rows.getDouble(5) < 10);
            assertTrue(rows.getDouble(6) > 1 && rows.getDouble(6) <= 1.0203, "prices within 1% of a level");
            assertEquals("TIMESTAMP WITH TIME ZONE", rows.getString(7));
            assertTrue(rows.getBoolean(8), "timestamps rise through the file");
        }
    }

    @Test
    void contentIsNearlyIncompressible() throws IOException {
        Path file = temp.resolve("part.parquet");
        writer.write(file, 1 << 20, 42, DAY);
        byte[] input = Files.readAllBytes(file);
        int compressed = SampleLakeTest.deflatedSize(input);
        // Random doubles hardly shrink; the rising timestamps share their high bytes and shrink to about half,
        // so the file deflates to about 72% (a real, Snappy- or ZSTD-compressed file hardly at all).
        assertTrue(compressed >= input.length * 0.70, "compressed to " + compressed);
    }

    private static FileMetaData footer(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PAR1, Arrays.copyOf(bytes, 4));
        assertArrayEquals(PAR1, Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
        int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - length, length));
    }
}
