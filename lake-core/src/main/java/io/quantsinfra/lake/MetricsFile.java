package io.quantsinfra.lake;

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
 * {@link Stats}. Counters come from {@link Checkpoint#totals()}, so they keep counting across runs
 * and processes; the file is rendered whole each time and replaced atomically, so one file covers
 * every profile and node_exporter never reads half of it.
 */
final class MetricsFile {
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
    static void write(Path file, List<Stats> profiles) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFile.replace(file, render(profiles).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LakeException(LakeException.Kind.LOCAL_IO, file.toString(), "cannot write the metrics file "
                    + file + ": " + e, "check that its directory is writable by this user (metrics_file)", e);
        }
    }

    /** The exposition text: for each metric its HELP and TYPE lines, then one sample per profile. */
    static String render(List<Stats> profiles) {
        StringBuilder out = new StringBuilder();
        header(out, "data_lake_sync_total", "counter", "Sync runs that finished, by how they ended.");
        for (Stats s : profiles) {
            for (Checkpoint.Status status : FINISHED) {
                out.append("data_lake_sync_total{profile=\"").append(escape(s.profile())).append("\",status=\"")
                        .append(status.word()).append("\"} ").append(s.checkpoint().totals().syncs(status)).append('\n');
            }
        }
        metric(out, profiles, "data_lake_sync_duration_seconds", "gauge", "How long the last sync run took.",
                s -> number(s.checkpoint().durationSeconds()));
        metric(out, profiles, "data_lake_bytes_transferred_total", "counter", "Bytes downloaded by all sync runs.",
                s -> Long.toString(s.checkpoint().totals().bytesTransferred()));
        metric(out, profiles, "data_lake_files_transferred_total", "counter", "Files downloaded by all sync runs.",
                s -> Long.toString(s.checkpoint().totals().filesTransferred()));
        metric(out, profiles, "data_lake_cleanup_deleted_dirs_total", "counter",
                "Expired directories deleted by all retention cleanups.",
                s -> Long.toString(s.checkpoint().totals().cleanupDirsDeleted()));
        metric(out, profiles, "data_lake_last_sync_timestamp", "gauge",
                "When the last sync run ended, in Unix seconds (absent if never).",
                s -> seconds(s.checkpoint().lastSyncTime()));
        metric(out, profiles, "data_lake_last_success_timestamp", "gauge",
                "When the last fully successful sync run ended, in Unix seconds (absent if never).",
                s -> seconds(s.checkpoint().lastSuccessTime()));
        metric(out, profiles, "data_lake_local_bytes", "gauge", "Bytes of mirrored files in the local lake.",
                s -> Long.toString(s.dataBytes()));
        metric(out, profiles, "data_lake_local_files", "gauge", "Mirrored files in the local lake.",
                s -> Long.toString(s.files()));
        metric(out, profiles, "data_lake_partial_files", "gauge", "Partly downloaded files waiting to be resumed.",
                s -> Integer.toString(s.partialFiles()));
        return out.toString();
    }

    /** One metric with a {@code profile} label; profiles whose value is {@code null} get no sample. */
    private static void metric(StringBuilder out, List<Stats> profiles, String name, String type, String help,
                               Function<Stats, String> value) {
        header(out, name, type, help);
        for (Stats s : profiles) {
            String v = value.apply(s);
            if (v != null) {
                out.append(name).append("{profile=\"").append(escape(s.profile())).append("\"} ").append(v).append('\n');
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
