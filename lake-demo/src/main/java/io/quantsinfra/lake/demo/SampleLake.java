package io.quantsinfra.lake.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Writes deterministic sample lakes: trees of {@code <exchange>_<symbol>_<yyyyMMdd>/part_NNNNN.parquet} files
 * that are real Parquet files of pseudo-random trades ({@link ParquetPartWriter}), so a query engine such as DuckDB
 * reads the lake a demo syncs. {@link #writeFile} writes plain pseudo-random bytes instead, for tests that grow files.
 *
 * <p>A file's bytes depend only on the seed and its relative path, so every file differs and the same
 * settings always give the same lake. File and directory modification times are whole seconds on the
 * directory's date (see {@link #modificationTime}).
 */
public final class SampleLake {

    private static final int BUFFER_SIZE = 1 << 20;
    private static final LocalTime FIRST_PART_TIME = LocalTime.of(23, 0);
    private static final DateTimeFormatter DAY_FORMAT = DateTimeFormatter.BASIC_ISO_DATE;
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long SIZE_STREAM = 0x5349_5a45L;

    private SampleLake() {
    }

    /**
     * Starts building a sample lake.
     *
     * @return a builder for one exchange ({@code gate_io}), one symbol ({@code BTC-USDT}), one day ending on
     *     2025-01-31, one 64 KiB part per day and seed 0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the directory name for one exchange, symbol and day.
     *
     * @param exchange the exchange, e.g. {@code gate_io}
     * @param symbol the symbol, e.g. {@code BTC-USDT}
     * @param day the day
     * @return e.g. {@code gate_io_BTC-USDT_20250131}
     */
    public static String directoryName(String exchange, String symbol, LocalDate day) {
        return exchange + "_" + symbol + "_" + DAY_FORMAT.format(day);
    }

    /**
     * Returns the file name of a part.
     *
     * @param part the 1-based part number
     * @return e.g. {@code part_00001.parquet}
     */
    public static String partFileName(int part) {
        return String.format("part_%05d.parquet", part);
    }

    /**
     * Returns the modification time the builder gives part {@code part} of a day: 23:00:00 UTC on that day
     * plus {@code part} seconds. A directory gets the time of its last part.
     *
     * @param day the directory's day
     * @param part the 1-based part number
     * @return a time with whole seconds
     */
    public static Instant modificationTime(LocalDate day, int part) {
        return day.atTime(FIRST_PART_TIME).toInstant(ZoneOffset.UTC).plusSeconds(part);
    }

    /**
     * Writes {@code size} pseudo-random bytes derived from {@code seed} to {@code file}, replacing its content.
     * The content is prefix-stable: for one seed, a shorter file is a prefix of a longer one, so rewriting a file
     * with a larger size simulates an append.
     *
     * @param file the file to write; its parent directory must exist
     * @param size the number of bytes, at least 0
     * @param seed the seed of the content
     * @throws IOException if the file cannot be written
     */
    public static void writeFile(Path file, long size, long seed) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        int capacity = (int) Math.min(BUFFER_SIZE, roundUpToLong(size));
        writeFile(file, size, seed, ByteBuffer.allocate(capacity));
    }

    private static void writeFile(Path file, long size, long seed, ByteBuffer buffer) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long remaining = size;
            while (remaining > 0) {
                int chunk = (int) Math.min(buffer.capacity(), remaining);
                buffer.clear();
                for (int filled = 0; filled < chunk; filled += Long.BYTES) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip().limit(chunk);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                remaining -= chunk;
            }
        }
    }

    private static long roundUpToLong(long size) {
        return (size + Long.BYTES - 1) / Long.BYTES * Long.BYTES;
    }

    private static long contentSeed(long seed, String relativePath) {
        long hash = FNV_OFFSET_BASIS;
        for (byte b : relativePath.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return new SplittableRandom(seed ^ hash).nextLong();
    }

    /**
     * What {@link Builder#writeTo} wrote.
     *
     * @param filesWritten the number of part files
     * @param totalBytes the sum of their sizes
     * @param rowsWritten the sum of their row counts
     * @param relativePaths their paths relative to the root, with {@code /} separators, in writing order
     *     (exchange, symbol, day ascending, part)
     */
    public record Summary(int filesWritten, long totalBytes, long rowsWritten, List<String> relativePaths) {

        /**
         * Creates a summary, copying the path list.
         *
         * @param filesWritten the number of part files
         * @param totalBytes the sum of their sizes
         * @param rowsWritten the sum of their row counts
         * @param relativePaths their relative paths
         */
        public Summary {
            relativePaths = List.copyOf(relativePaths);
        }
    }

    /** Configures and writes a sample lake. */
    public static final class Builder {

        private List<String> exchanges = List.of("gate_io");
        private List<String> symbols = List.of("BTC-USDT");
        private int days = 1;
        private LocalDate endingOn = LocalDate.of(2025, 1, 31);
        private int partsPerDay = 1;
        private long minPartSize = 64 * 1024;
        private long maxPartSize = 64 * 1024;
        private long seed;

        private Builder() {
        }

        /**
         * Sets the exchanges.
         *
         * @param exchanges one or more exchange names, e.g. {@code gate_io}
         * @return this builder
         */
        public Builder exchanges(String... exchanges) {
            this.exchanges = nonEmpty(exchanges, "exchanges");
            return this;
        }

        /**
         * Sets the symbols, each written for every exchange.
         *
         * @param symbols one or more symbols, e.g. {@code BTC-USDT}
         * @return this builder
         */
        public Builder symbols(String... symbols) {
            this.symbols = nonEmpty(symbols, "symbols");
            return this;
        }

        /**
         * Sets how many consecutive days, ending on {@link #endingOn}, get a directory.
         *
         * @param days at least 1
         * @return this builder
         */
        public Builder days(int days) {
            this.days = atLeast(days, 1, "days");
            return this;
        }

        /**
         * Sets the last day.
         *
         * @param endingOn the newest day
         * @return this builder
         */
        public Builder endingOn(LocalDate endingOn) {
            this.endingOn = Objects.requireNonNull(endingOn, "endingOn");
            return this;
        }

        /**
         * Sets the number of part files per directory.
         *
         * @param partsPerDay at least 1
         * @return this builder
         */
        public Builder partsPerDay(int partsPerDay) {
            this.partsPerDay = atLeast(partsPerDay, 1, "partsPerDay");
            return this;
        }

        /**
         * Gives every part the same size. A part holds at least one row, so one asked smaller than
         * {@link ParquetPartWriter#smallestSize()} (a few hundred bytes) is written at that size.
         *
         * @param size bytes per part, at least 0
         * @return this builder
         */
        public Builder partSize(long size) {
            return partSize(size, size);
        }

        /**
         * Gives every part a deterministic pseudo-random size in {@code [min, max]}, or
         * {@link ParquetPartWriter#smallestSize()} where that is larger.
         *
         * @param min the smallest size, at least 0
         * @param max the largest size, at least {@code min}
         * @return this builder
         */
        public Builder partSize(long min, long max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("need 0 <= min <= max, got " + min + ".." + max);
            }
            this.minPartSize = min;
            this.maxPartSize = max;
            return this;
        }

        /**
         * Sets the seed of sizes and content.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Writes the lake below {@code root}, creating directories and replacing existing part files.
         *
         * @param root the lake root, created if missing
         * @return what was written
         * @throws IOException if a file or directory cannot be written
         */
        public Summary writeTo(Path root) throws IOException {
            ParquetPartWriter writer = new ParquetPartWriter();
            List<String> written = new ArrayList<>();
            long totalBytes = 0;
            long totalRows = 0;
            for (String exchange : exchanges) {
                for (String symbol : symbols) {
                    for (LocalDate day = endingOn.minusDays(days - 1L); !day.isAfter(endingOn);
                            day = day.plusDays(1)) {
                        String directoryName = directoryName(exchange, symbol, day);
                        Path directory = Files.createDirectories(root.resolve(directoryName));
                        for (int partNumber = 1; partNumber <= partsPerDay; partNumber++) {
                            String fileName = partFileName(partNumber);
                            String relativePath = directoryName + "/" + fileName;
                            long fileSeed = contentSeed(seed, relativePath);
                            Path file = directory.resolve(fileName);
                            ParquetPartWriter.Written part = writer.write(file, sizeOf(fileSeed), fileSeed, day);
                            Files.setLastModifiedTime(file, FileTime.from(modificationTime(day, partNumber)));
                            written.add(relativePath);
                            totalBytes += part.bytes();
                            totalRows += part.rows();
                        }
                        Files.setLastModifiedTime(directory, FileTime.from(modificationTime(day, partsPerDay)));
                    }
                }
            }
            return new Summary(written.size(), totalBytes, totalRows, written);
        }

        private long sizeOf(long fileSeed) {
            if (minPartSize == maxPartSize) {
                return minPartSize;
            }
            return minPartSize + new SplittableRandom(fileSeed ^ SIZE_STREAM).nextLong(maxPartSize - minPartSize + 1);
        }

        private static List<String> nonEmpty(String[] values, String name) {
            List<String> list = List.of(values);
            if (list.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return list;
        }

        private static int atLeast(int value, int minimum, String name) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be >= " + minimum + ": " + value);
            }
            return value;
        }
    }
}
