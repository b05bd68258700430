package io.quantsinfra.lake.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleLakeTest {

    private static final LocalDate LAST_DAY = LocalDate.of(2024, 12, 31);

    @TempDir
    Path temp;

    @Test
    void writesTheExpectedLayout() throws IOException {
        SampleLake.Summary summary = SampleLake.builder().exchanges("gate_io", "binance")
                .symbols("BTC-USDT", "ETH-USDT").days(40).endingOn(LAST_DAY).partsPerDay(3).partSize(1024).seed(42)
                .writeTo(temp);

        assertEquals(2 * 2 * 40 * 3, summary.filesWritten());
        assertEquals(summary.filesWritten(), summary.relativePaths().size());
        assertEquals(summary.filesWritten() * 1024L, summary.totalBytes());
        assertEquals("gate_io_BTC-USDT_20241122/part_00001.parquet", summary.relativePaths().get(0));
        assertEquals("binance_ETH-USDT_20241231/part_00003.parquet",
                summary.relativePaths().get(summary.filesWritten() - 1));
        try (var directories = Files.list(temp)) {
            assertEquals(160, directories.count());
        }
        for (String relativePath : summary.relativePaths()) {
            assertEquals(1024, Files.size(temp.resolve(relativePath)), relativePath);
        }
    }

    @Test
    void sameSeedGivesSameBytesAndEveryFileDiffers() throws IOException {
        SampleLake.Builder builder = SampleLake.builder().symbols("BTC-USDT", "ETH-USDT").days(3).partsPerDay(2)
                .partSize(10_001).seed(7);
        SampleLake.Summary first = builder.writeTo(temp.resolve("a"));
        builder.writeTo(temp.resolve("b"));
        SampleLake.Summary otherSeed = builder.seed(8).writeTo(temp.resolve("c"));
        assertEquals(first.relativePaths(), otherSeed.relativePaths());

        Set<String> distinctContents = new HashSet<>();
        for (String relativePath : first.relativePaths()) {
            byte[] a = Files.readAllBytes(temp.resolve("a").resolve(relativePath));
            assertArrayEquals(a, Files.readAllBytes(temp.resolve("b").resolve(relativePath)), relativePath);
            assertFalse(Arrays.equals(a, Files.readAllBytes(temp.resolve("c").resolve(relativePath))), relativePath);
            distinctContents.add(Arrays.toString(a));
        }
        assertEquals(first.filesWritten(), distinctContents.size());
    }

    @Test
    void timesAreWholeSecondsOnTheDirectoryDate() throws IOException {
        SampleLake.Summary summary = SampleLake.builder().days(5).endingOn(LAST_DAY).partsPerDay(4).partSize(10)
                .writeTo(temp);
        for (String relativePath : summary.relativePaths()) {
            Path file = temp.resolve(relativePath);
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            LocalDate day = LocalDate.parse(relativePath.substring(17, 25), DateTimeFormatter.BASIC_ISO_DATE);
            assertEquals(0, modified.getNano(), relativePath);
            assertEquals(day, modified.atZone(ZoneOffset.UTC).toLocalDate(), relativePath);
            int part = Integer.parseInt(relativePath.substring(31, 36));
            assertEquals(SampleLake.modificationTime(day, part), modified, relativePath);
            assertEquals(SampleLake.modificationTime(day, 4), Files.getLastModifiedTime(file.getParent()).toInstant());
        }
        assertEquals(Instant.parse("2024-12-31T23:00:02Z"), SampleLake.modificationTime(LAST_DAY, 2));
    }

    @Test
    void sizeRangeGivesDeterministicSizesWithinBounds() throws IOException {
        SampleLake.Builder builder = SampleLake.builder().days(10).partsPerDay(5).partSize(1_000, 50_000).seed(3);
        SampleLake.Summary summary = builder.writeTo(temp.resolve("a"));
        SampleLake.Summary again = builder.writeTo(temp.resolve("b"));
        Set<Long> sizes = new HashSet<>();
        long total = 0;
        for (String relativePath : summary.relativePaths()) {
            long size = Files.size(temp.resolve("a").resolve(relativePath));
            assertTrue(size >= 1_000 && size <= 50_000, relativePath + ": " + size);
            assertEquals(size, Files.size(temp.resolve("b").resolve(relativePath)));
            sizes.add(size);
            total += size;
        }
        assertEquals(total, summary.totalBytes());
        assertEquals(summary, again);
        assertTrue(sizes.size() > 40, "sizes vary: " + sizes.size());
    }

    @Test
    void aPartAskedSmallerThanOneRowIsWrittenAtTheSmallestSizeAndTheSummarySaysSo() throws IOException {
        SampleLake.Summary summary = SampleLake.builder().days(2).partsPerDay(2).partSize(10).writeTo(temp);
        long smallest = ParquetPartWriter.smallestSize();
        assertTrue(smallest > 10 && smallest < 1_000, "smallest part: " + smallest);
        assertEquals(4 * smallest, summary.totalBytes());
        assertEquals(4, summary.rowsWritten());
        for (String relativePath : summary.relativePaths()) {
            assertEquals(smallest, Files.size(temp.resolve(relativePath)), relativePath);
        }
    }

    @Test
    void contentIsIncompressible() throws IOException {
        Path file = temp.resolve("f.parquet");
        SampleLake.writeFile(file, 1 << 20, 42);
        byte[] input = Files.readAllBytes(file);
        int compressed = deflatedSize(input);
        assertTrue(compressed >= input.length * 0.99, "compressed to " + compressed);
    }

    /** The bytes {@code input} deflates to at the best compression. */
    static int deflatedSize(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(input);
        deflater.finish();
        byte[] output = new byte[input.length * 2];
        int compressed = 0;
        while (!deflater.finished()) {
            compressed += deflater.deflate(output, compressed, output.length - compressed);
        }
        deflater.end();
        return compressed;
    }

    @Test
    void writeFileIsPrefixStableSoGrowingAFileLooksLikeAnAppend() throws IOException {
        Path small = temp.resolve("small");
        Path large = temp.resolve("large");
        SampleLake.writeFile(small, 1_000_003, 11);
        SampleLake.writeFile(large, 3_145_735, 11);
        byte[] smallBytes = Files.readAllBytes(small);
        byte[] largeBytes = Files.readAllBytes(large);
        assertEquals(1_000_003, smallBytes.length);
        assertEquals(3_145_735, largeBytes.length);
        assertArrayEquals(smallBytes, Arrays.copyOf(largeBytes, smallBytes.length));

        SampleLake.writeFile(large, 5, 11);
        assertArrayEquals(Arrays.copyOf(smallBytes, 5), Files.readAllBytes(large), "rewriting truncates");
        SampleLake.writeFile(large, 0, 11);
        assertEquals(0, Files.size(large));
    }

    @Test
    void writesTheRequestedVolume() throws IOException {
        SampleLake.Summary summary = SampleLake.builder().symbols("BTC-USDT", "ETH-USDT").days(5).partsPerDay(5)
                .partSize(1 << 20).writeTo(temp);
        assertEquals(50, summary.filesWritten());
        assertEquals(50L << 20, summary.totalBytes());
        try (var files = Files.walk(temp)) {
            assertEquals(50L << 20, files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum());
        }
    }

    @Test
    void namesFollowTheLakeConvention() {
        assertEquals("gate_io_BTC-USDT_20250131",
                SampleLake.directoryName("gate_io", "BTC-USDT", LocalDate.of(2025, 1, 31)));
        assertEquals(List.of("part_00001.parquet", "part_12345.parquet"),
                List.of(1, 12345).stream().map(SampleLake::partFileName).toList());
    }
}
