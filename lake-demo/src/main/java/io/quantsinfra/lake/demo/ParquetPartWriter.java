package io.quantsinfra.lake.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MilliSeconds;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

/**
 * Writes one Parquet file of pseudo-random trades, {@code ts} (a UTC timestamp in milliseconds), {@code price} and
 * {@code qty}, of a requested size, with nothing but Parquet's Thrift structures: no Hadoop, no Arrow.
 *
 * <p>The layout is the simplest that readers such as DuckDB accept: one row group, and per column one PLAIN,
 * uncompressed data page (v1); the columns are required, so the pages carry no levels. The file holds as many rows
 * as fit the size, and the few bytes left over go between the last page and the footer, where writers put
 * alignment padding too, so a file is exactly the size asked for unless that is below {@link #smallestSize()}.
 * The same arguments give the same bytes, and the random doubles keep the file close to incompressible.
 */
public final class ParquetPartWriter {

    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};
    private static final int BUFFER_SIZE = 1 << 20;
    private static final String CREATED_BY = "quants-infra demo";
    private static final long DAY_MILLIS = 86_400_000L;
    /** A data page's size is a signed 32-bit field, and each column has a single page. */
    private static final long MAX_ROWS = Integer.MAX_VALUE / Long.BYTES;

    /** The columns, each 8 bytes a value. */
    private enum Column {
        TS(Type.INT64), PRICE(Type.DOUBLE), QTY(Type.DOUBLE);

        private final Type type;

        Column(Type type) {
            this.type = type;
        }

        String fieldName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int ROW_BYTES = Column.values().length * Long.BYTES;

    /**
     * What {@link #write} wrote.
     *
     * @param rows the rows the file's footer states
     * @param bytes the file's length
     */
    public record Written(long rows, long bytes) {
    }

    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);

    /** Creates a writer with a buffer of its own: reuse it for many files, from one thread. */
    public ParquetPartWriter() {
    }

    /**
     * Returns the length of a one-row file: the smallest this writer writes.
     *
     * @return a few hundred bytes
     */
    public static long smallestSize() {
        return length(1);
    }

    /** The length of a file of {@code rows} rows without padding. */
    static long length(long rows) {
        return Layout.of(rows).size();
    }

    /**
     * Writes a Parquet file of trades on {@code day}, replacing {@code file}'s content. The timestamps rise through
     * the day; prices scatter by up to 1% around a level drawn from the seed; quantities are uniform in [0, 10).
     *
     * @param file the file to write; its parent directory must exist
     * @param size the file's length in bytes; below {@link #smallestSize()}, the file is a one-row file of that
     *     smallest size
     * @param seed the seed of the values
     * @param day the day of the timestamps, in UTC
     * @return the number of rows and the file's length
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the size is negative, or too large for one page per column (over 6 GiB)
     */
    public Written write(Path file, long size, long seed, LocalDate day) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        Layout layout = Layout.fit(size);
        long length = Math.max(size, layout.size());
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        SplittableRandom random = new SplittableRandom(seed);
        double priceLevel = 10 + random.nextDouble() * 50_000;
        buffer.clear();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            put(channel, MAGIC);
            for (Column column : Column.values()) {
                put(channel, layout.pageHeaders().get(column.ordinal()));
                SplittableRandom values = random.split();
                long rows = layout.rows();
                for (long row = 0; row < rows; row++) {
                    long value = switch (column) {
                        // row * DAY_MILLIS / rows plus less than one step stays below the next row's time
                        case TS -> dayStart + row * DAY_MILLIS / rows + values.nextLong(Math.max(1, DAY_MILLIS / rows));
                        case PRICE -> Double.doubleToLongBits(priceLevel * (0.99 + values.nextDouble() * 0.02));
                        case QTY -> Double.doubleToLongBits(values.nextDouble() * 10);
                    };
                    ensureRoom(channel, Long.BYTES);
                    buffer.putLong(value);
                }
            }
            for (long padding = length - layout.size(); padding > 0; padding--) {
                ensureRoom(channel, 1);
                buffer.put((byte) 0);
            }
            put(channel, layout.footer());
            ensureRoom(channel, Integer.BYTES);
            buffer.putInt(layout.footer().length);
            put(channel, MAGIC);
            drain(channel);
        }
        return new Written(layout.rows(), length);
    }

    private void put(FileChannel channel, byte[] bytes) throws IOException {
        for (int at = 0; at < bytes.length; ) {
            ensureRoom(channel, 1);
            int n = Math.min(buffer.remaining(), bytes.length - at);
            buffer.put(bytes, at, n);
            at += n;
        }
    }

    private void ensureRoom(FileChannel channel, int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain(channel);
        }
    }

    private void drain(FileChannel channel) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * Everything of a file but its values and padding, for a row count: the page headers, the footer and the
     * file's length without padding.
     */
    private record Layout(long rows, List<byte[]> pageHeaders, byte[] footer, long size) {

        /** The layout with the most rows that fit {@code size} bytes, and at least one row. */
        static Layout fit(long size) {
            Layout one = of(1);
            long rows = Math.max(1, 1 + (size - one.size()) / ROW_BYTES);
            if (rows > MAX_ROWS) {
                throw new IllegalArgumentException("a part of " + size + " bytes needs more than one page a column");
            }
            // The estimate counts the varints of one row; larger counts take a few more bytes.
            Layout layout = of(rows);
            while (layout.size() > size && layout.rows() > 1) {
                layout = of(layout.rows() - 1);
            }
            return layout;
        }

        static Layout of(long rows) {
            int pageSize = Math.toIntExact(rows * Long.BYTES);
            List<byte[]> headers = new ArrayList<>();
            List<ColumnChunk> chunks = new ArrayList<>();
            long offset = MAGIC.length;
            for (Column column : Column.values()) {
                PageHeader page = new PageHeader(PageType.DATA_PAGE, pageSize, pageSize);
                page.setData_page_header(new DataPageHeader(Math.toIntExact(rows), Encoding.PLAIN, Encoding.RLE,
                        Encoding.RLE));
                byte[] header = serialize(out -> Util.writePageHeader(page, out));
                headers.add(header);
                long chunkSize = header.length + (long) pageSize;
                ColumnMetaData metaData = new ColumnMetaData(column.type, List.of(Encoding.PLAIN),
                        List.of(column.fieldName()), CompressionCodec.UNCOMPRESSED, rows, chunkSize, chunkSize,
                        offset);
                ColumnChunk chunk = new ColumnChunk(offset);
                chunk.setMeta_data(metaData);
                chunks.add(chunk);
                offset += chunkSize;
            }
            RowGroup rowGroup = new RowGroup(chunks, offset - MAGIC.length, rows);
            rowGroup.setFile_offset(MAGIC.length);
            rowGroup.setTotal_compressed_size(offset - MAGIC.length);
            FileMetaData metaData = new FileMetaData(1, schema(), rows, List.of(rowGroup));
            metaData.setCreated_by(CREATED_BY);
            byte[] footer = serialize(out -> Util.writeFileMetaData(metaData, out));
            return new Layout(rows, List.copyOf(headers), footer, offset + footer.length + Integer.BYTES + MAGIC.length);
        }

        private static List<SchemaElement> schema() {
            List<SchemaElement> schema = new ArrayList<>();
            SchemaElement root = new SchemaElement("schema");
            root.setNum_children(Column.values().length);
            schema.add(root);
            for (Column column : Column.values()) {
                SchemaElement field = new SchemaElement(column.fieldName());
                field.setType(column.type);
                field.setRepetition_type(FieldRepetitionType.REQUIRED);
                if (column == Column.TS) {
                    field.setConverted_type(ConvertedType.TIMESTAMP_MILLIS);
                    field.setLogicalType(LogicalType.TIMESTAMP(new TimestampType(true, TimeUnit.MILLIS(new MilliSeconds()))));
                }
                schema.add(field);
            }
            return schema;
        }

        private static byte[] serialize(ThriftWrite write) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                write.to(out);
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory failed", e);
            }
            return out.toByteArray();
        }
    }

    /** Parquet's {@code Util.write...} methods, which declare an IOException that memory never throws. */
    @FunctionalInterface
    private interface ThriftWrite {
        void to(ByteArrayOutputStream out) throws IOException;
    }
}
