package io.quantsinfra.lake.parquet;

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

/**
 * Parquet files written by a real writer, DuckDB (in memory, through JDBC), and what DuckDB reads
 * back from them, so the tests compare the footer check with the writer's own view.
 */
public final class ParquetFixtures {
    /** 1,000 trades in 5 columns of 4 types: one row group. */
    public static final String TRADES = "SELECT i AS id, TIMESTAMP '2024-01-01' + to_milliseconds(i) AS ts,"
            + " 'S' || (i % 7) || '-USDT' AS symbol, 100 + i / 8.0 AS price, (i % 13)::INTEGER AS qty"
            + " FROM range(1000) t(i)";
    /** 10,000 rows; with {@code ROW_GROUP_SIZE 2048} DuckDB writes 5 row groups (about 84 KB). */
    public static final String TEN_THOUSAND = "SELECT i AS id, 'x' || i AS label FROM range(10000) t(i)";
    /** No rows at all: a complete file with a footer and no row group. */
    public static final String NO_ROWS = "SELECT i AS id FROM range(0) t(i)";

    private ParquetFixtures() {
    }

    /** Writes {@code query}'s rows to {@code file} as Parquet; {@code options} may be empty. */
    public static Path write(Path file, String query, String options) throws SQLException {
        String with = options.isEmpty() ? "" : ", " + options;
        execute("COPY (" + query + ") TO '" + file + "' (FORMAT PARQUET" + with + ")");
        return file;
    }

    /** A query with {@code n} constant columns: many column chunks, so a long footer, little data. */
    public static String constantColumns(int n, int rows) {
        StringBuilder select = new StringBuilder("SELECT ");
        for (int c = 0; c < n; c++) {
            select.append(c == 0 ? "" : ", ").append(c).append(" AS c").append(c);
        }
        return select.append(" FROM range(").append(rows).append(") t(i)").toString();
    }

    /** The rows DuckDB reads back from {@code file}. */
    public static long rowsRead(Path file) throws SQLException {
        return queryLong("SELECT count(*) FROM read_parquet('" + file + "')");
    }

    /** The row groups DuckDB finds in {@code file}'s footer. */
    public static long rowGroups(Path file) throws SQLException {
        return queryLong("SELECT num_row_groups FROM parquet_file_metadata('" + file + "')");
    }

    /** The footer's length as the file's last 8 bytes state it (Parquet's layout, not our code). */
    public static int footerLength(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(file.length - 8);
    }

    /** The file's bytes. */
    public static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The one number {@code sql} (a query for a count or a sum) gives. */
    public static long queryLong(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
