package io.quantsinfra.lake.state;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.durability.AtomicFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the Prometheus textfile-collector file ({@code metrics_file}) from every profile's
 * {@link Checkpoint}. Counters come from {@link Checkpoint#totals()}, so they keep counting across
 * runs and processes; the local lake's size from {@link Checkpoint#localLake()}, measured by the
 * profile's own last run, so writing the file walks no directory. The file is rendered whole each
 * time and replaced atomically, so one file covers every profile and node_exporter never reads
 * half of it.
 */
public final class MetricsFile {
    /** The statuses a finished run can have; each gets a {@code data_lake_sync_total} sample, 0 included. */
    private static final List<Checkpoint.Status> FINISHED = List.of(Checkpoint.Status.SUCCESS,
            Checkpoint.Status.PARTIAL, Checkpoint.Status.FAILED, Checkpoint.Status.INTERRUPTED);

    private MetricsFile() {
    }

    /**
     * Replaces {@code file} with the metrics of {@code profiles}, creating its directory if needed.
     *
     * @throws LakeException of kind {@code LOCAL_IO} if it cannot be written
     */
    public static void write(Path file, List<Checkpoint> profiles) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFile.replace(file, render(profiles).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, file.toString(), "cannot write the metrics file "
                    + file + ": " + e, "check that its directory is writable by this user (metrics_file)", e);
        }
    }

    /** The exposition text: for each metric its HELP and TYPE lines, then one sample per profile. */
    static String render(List<Checkpoint> profiles) {
        StringBuilder out = new StringBuilder();
        header(out, "data_lake_sync_total", "counter", "Sync runs that finished, by how they ended.");
        for (Checkpoint c : profiles) {
            for (Checkpoint.Status status : FINISHED) {
                out.append("data_lake_sync_total{profile=\"").append(escape(c.profileName())).append("\",status=\"")
                        .append(status.word()).append("\"} ").append(c.totals().syncs(status)).append('\n');
            }
        }
        metric(out, profiles, "data_lake_sync_duration_seconds", "gauge", "How long the last sync run took.",
                c -> number(c.durationSeconds()));
        metric(out, profiles, "data_lake_bytes_transferred_total", "counter", "Bytes downloaded by all sync runs.",
                c -> Long.toString(c.totals().bytesTransferred()));
        metric(out, profiles, "data_lake_files_transferred_total", "counter", "Files downloaded by all sync runs.",
                c -> Long.toString(c.totals().filesTransferred()));
        metric(out, profiles, "data_lake_cleanup_deleted_dirs_total", "counter",
                "Expired directories deleted by all retention cleanups.",
                c -> Long.toString(c.totals().cleanupDirsDeleted()));
        metric(out, profiles, "data_lake_cleanup_freed_bytes_total", "counter",
                "Bytes freed by all retention cleanups.",
                c -> Long.toString(c.totals().cleanupBytesFreed()));
        metric(out, profiles, "data_lake_last_sync_files_failed", "gauge",
                "Files the last sync run failed on; the next run retries them (absent if never synced).",
                c -> c.lastSyncStatus() == null ? null : Long.toString(c.errors().stream().filter(e -> !e.path().isEmpty()).count()));
        metric(out, profiles, "data_lake_last_sync_timestamp", "gauge",
                "When the last sync run ended, in Unix seconds (absent if never).",
                c -> seconds(c.lastSyncTime()));
        metric(out, profiles, "data_lake_last_success_timestamp", "gauge",
                "When the last fully successful sync run ended, in Unix seconds (absent if never).",
                c -> seconds(c.lastSuccessTime()));
        metric(out, profiles, "data_lake_local_bytes", "gauge",
                "Bytes of mirrored files in the local lake after the last run (absent if not measured yet).",
                c -> c.localLake() == null ? null : Long.toString(c.localLake().bytes()));
        metric(out, profiles, "data_lake_local_files", "gauge",
                "Mirrored files in the local lake after the last run (absent if not measured yet).",
                c -> c.localLake() == null ? null : Long.toString(c.localLake().files()));
        metric(out, profiles, "data_lake_local_rows", "gauge",
                "Rows of the Parquet parts in the local lake after the last run, as their footers state (absent if not"
                        + " measured yet).",
                c -> c.localLake() == null ? null : Long.toString(c.localLake().rows()));
        metric(out, profiles, "data_lake_partial_files", "gauge", "Partly downloaded files waiting to be resumed.",
                c -> Integer.toString(c.partials().size()));
        metric(out, profiles, "data_lake_held_back_files", "gauge",
                "Parquet parts the last run did not publish because they were not complete yet.",
                c -> Integer.toString(c.heldBack().size()));
        return out.toString();
    }

    /** One metric with a {@code profile} label; profiles whose value is {@code null} get no sample. */
    private static void metric(StringBuilder out, List<Checkpoint> profiles, String name, String type, String help,
                               Function<Checkpoint, String> value) {
        header(out, name, type, help);
        for (Checkpoint c : profiles) {
            String v = value.apply(c);
            if (v != null) {
                out.append(name).append("{profile=\"").append(escape(c.profileName())).append("\"} ").append(v).append('\n');
            }
        }
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A label value as the exposition format quotes it: backslash, double quote and newline escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String seconds(Instant t) {
        return t == null ? null : Long.toString(t.getEpochSecond());
    }

    private static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
