package io.quantsinfra.lake.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus textfile written after syncs and cleanups, read back with a small exposition-format parser. */
@ExtendWith(SftpServerExtension.class)
class MetricsFileTest {
    private static final Instant NOV_28 = Instant.parse("2024-11-28T14:30:45Z");

    @TempDir
    Path tmp;

    private Path metricsFile() {
        return tmp.resolve("textfile/data_lake.prom");
    }

    private DataLakeConfig config(SftpTestServer server) {
        return DataLakeConfig.builder(tmp.resolve("lake")).metricsFile(metricsFile())
                .profile("p", p -> p.host(server.host()).port(server.port()).user(server.user())
                        .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile())
                        .remoteRoot("/").localSubdir("mirror").rsyncArgs("-a --partial").retentionDays(30))
                .profile("idle", p -> p.host("127.0.0.1").user("nobody").sshKey(server.clientKeyFile())
                        .remoteRoot("/none").localSubdir("idle"))
                .build();
    }

    @Test
    void countersAccumulateOverRuns_gaugesDescribeTheLastOne_everyProfileIsInOneFile(SftpTestServer server)
            throws IOException {
        SampleLake.builder().symbols("BTC-USDT").days(3).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2)
                .partSize(1000).writeTo(server.servedRoot());
        DataLake lake = new DataLake(config(server));
        Path mirror = tmp.resolve("lake/mirror");
        file(mirror.resolve("gate_io_OLD_20241001/part_00001.parquet"), 10, 1);
        file(tmp.resolve("lake/idle/gate_io_X_20241128/part_00001.parquet"), 10, 9); // never walked for metrics

        SyncReport first = lake.sync("p", options(NOV_28), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        Exposition afterFirst = Exposition.parse(Files.readString(metricsFile()));
        assertEquals(1.0, afterFirst.value("data_lake_sync_total", "p", "success"));
        assertEquals(first.bytesTransferred(), (long) afterFirst.value("data_lake_bytes_transferred_total", "p", null));

        SampleLake.writeFile(server.servedRoot().resolve("gate_io_BTC-USDT_20241128/part_00099.parquet"), 777, 2);
        file(mirror.resolve("gate_io_OLD_20241002/part_00001.parquet"), 10, 3);
        Instant later = NOV_28.plus(Duration.ofHours(1));
        SyncReport second = lake.sync("p", options(later), SyncListener.NONE);
        assertEquals(1, second.filesTransferred());
        file(mirror.resolve("gate_io_OLD_20241003/part_00001.parquet"), 10, 4);
        CleanupReport cleanup = lake.cleanup("p", options(later), SyncListener.NONE);
        assertEquals(1, cleanup.expired().size());

        Exposition m = Exposition.parse(Files.readString(metricsFile()));
        Map<String, String> types = new LinkedHashMap<>();
        for (String counter : List.of("data_lake_sync_total", "data_lake_bytes_transferred_total",
                "data_lake_files_transferred_total", "data_lake_cleanup_deleted_dirs_total", "data_lake_cleanup_freed_bytes_total")) {
            types.put(counter, "counter");
        }
        for (String gauge : List.of("data_lake_sync_duration_seconds", "data_lake_last_sync_files_failed", "data_lake_last_sync_timestamp",
                "data_lake_last_success_timestamp", "data_lake_local_bytes", "data_lake_local_files", "data_lake_local_rows",
                "data_lake_partial_files", "data_lake_held_back_files")) {
            types.put(gauge, "gauge");
        }
        assertEquals(types, m.types);
        assertEquals(types.keySet(), m.help.keySet(), "every metric has a HELP line");

        assertEquals(2.0, m.value("data_lake_sync_total", "p", "success"));
        assertEquals(0.0, m.value("data_lake_sync_total", "p", "failed"));
        assertEquals(0.0, m.value("data_lake_sync_total", "p", "partial"));
        assertEquals(0.0, m.value("data_lake_sync_total", "p", "interrupted"));
        assertEquals(first.filesTransferred() + 1, (long) m.value("data_lake_files_transferred_total", "p", null));
        assertEquals(first.bytesTransferred() + 777, (long) m.value("data_lake_bytes_transferred_total", "p", null));
        assertEquals(3.0, m.value("data_lake_cleanup_deleted_dirs_total", "p", null), "two by syncs, one by cleanup");
        assertEquals(30.0, m.value("data_lake_cleanup_freed_bytes_total", "p", null), "three files of 10 bytes");
        assertEquals(0.0, m.value("data_lake_last_sync_files_failed", "p", null));
        assertFalse(m.has("data_lake_last_sync_files_failed", "idle"), "a profile never synced failed nothing yet");
        assertEquals(later.getEpochSecond(), (long) m.value("data_lake_last_sync_timestamp", "p", null));
        assertEquals(later.getEpochSecond(), (long) m.value("data_lake_last_success_timestamp", "p", null));
        assertEquals(0.0, m.value("data_lake_sync_duration_seconds", "p", null), "the fixed clock does not move");
        Stats stats = lake.stats("p", Clock.fixed(later, ZoneOffset.UTC));
        assertEquals(stats.dataBytes(), (long) m.value("data_lake_local_bytes", "p", null), "as the cleanup left it");
        assertEquals(stats.files(), (long) m.value("data_lake_local_files", "p", null));
        assertEquals(new Checkpoint.LocalLake(stats.files(), stats.dataBytes(), stats.rows()), lake.checkpoint("p").localLake());
        assertEquals(0.0, m.value("data_lake_partial_files", "p", null));
        assertEquals(stats.rows(), (long) m.value("data_lake_local_rows", "p", null));
        assertTrue(stats.rows() > 0, "the sample parts are Parquet");
        assertEquals(0.0, m.value("data_lake_held_back_files", "p", null));

        assertEquals(0.0, m.value("data_lake_sync_total", "idle", "success"), "a profile never synced is still listed");
        assertFalse(m.has("data_lake_local_files", "idle"), "only a profile's own runs measure its lake");
        assertFalse(m.has("data_lake_last_sync_timestamp", "idle"), "no timestamp for a profile never synced");

        try (Stream<Path> files = Files.list(metricsFile().getParent())) {
            assertEquals(List.of(metricsFile()), files.toList(), "the write is atomic: no temporary file is left");
        }
    }

    @Test
    void aMetricsFileThatCannotBeWritten_isAWarning_notAFailedSync(SftpTestServer server) throws IOException {
        Files.writeString(tmp.resolve("textfile"), "a file where the directory should be");
        List<String> warnings = new ArrayList<>();
        SyncReport r = new DataLake(config(server)).sync("p", options(NOV_28), new SyncListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        });
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("metrics not written: cannot write the metrics file"), warnings.get(0));
    }

    @Test
    void filesFailed_countsTheFilesOfTheLastRun_notARunThatFailedAsAWhole() {
        Instant t = Instant.parse("2024-11-28T14:00:00Z");
        Checkpoint partial = Checkpoint.empty("p").started(t).finished(Checkpoint.Status.PARTIAL, t, 1, 10, 0,
                List.of(new PathError("a.parquet", "denied"), new PathError("b.parquet", "denied")), List.of());
        Checkpoint failed = Checkpoint.empty("q").started(t).finished(Checkpoint.Status.FAILED, t, 0, 0, 0,
                List.of(new PathError("", "cannot connect")), List.of());
        Exposition m = Exposition.parse(MetricsFile.render(List.of(partial, failed)));
        assertEquals(2.0, m.value("data_lake_last_sync_files_failed", "p", null));
        assertEquals(0.0, m.value("data_lake_last_sync_files_failed", "q", null));
    }

    @Test
    void labelValues_areEscaped() {
        String text = MetricsFile.render(List.of(Checkpoint.empty("a\"b\\c\nd")));
        assertTrue(text.contains("profile=\"a\\\"b\\\\c\\nd\""), text);
        assertEquals(0.0, Exposition.parse(text).value("data_lake_partial_files", "a\"b\\c\nd", null));
    }

    @Test
    void withoutAMetricsFile_aSyncDoesNotMeasureTheLocalLake(SftpTestServer server) throws IOException {
        SampleLake.builder().symbols("BTC-USDT").days(1).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(1)
                .partSize(1000).writeTo(server.servedRoot());
        DataLakeConfig config = DataLakeConfig.builder(tmp.resolve("lake"))
                .profile("p", p -> p.host(server.host()).port(server.port()).user(server.user())
                        .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile())
                        .remoteRoot("/").localSubdir("mirror").rsyncArgs("-a").retentionDays(0))
                .build();
        DataLake lake = new DataLake(config);
        assertEquals(Checkpoint.Status.SUCCESS, lake.sync("p", options(NOV_28), SyncListener.NONE).status());
        assertEquals(null, lake.checkpoint("p").localLake(), "the walk costs time that only the metrics file needs");
    }

    private static void file(Path p, long size, long seed) throws IOException {
        Files.createDirectories(p.getParent());
        SampleLake.writeFile(p, size, seed);
    }

    private static SyncOptions options(Instant now) {
        return LakeFixture.options().withClock(Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The parts of the text exposition format the file uses: HELP, TYPE, and samples with quoted labels. */
    private static final class Exposition {
        final Map<String, String> help = new LinkedHashMap<>();
        final Map<String, String> types = new LinkedHashMap<>();
        final List<Sample> samples = new ArrayList<>();

        record Sample(String name, Map<String, String> labels, double value) {
        }

        static Exposition parse(String text) {
            Exposition e = new Exposition();
            for (String line : text.split("\n")) {
                if (line.startsWith("# HELP ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    e.help.put(parts[0], parts[1]);
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    assertEquals(2, parts.length, line);
                    e.types.put(parts[0], parts[1]);
                } else {
                    e.samples.add(sample(line));
                }
            }
            for (Sample s : e.samples) {
                assertTrue(e.types.containsKey(s.name()), "sample before its TYPE: " + s);
            }
            return e;
        }

        private static Sample sample(String line) {
            int brace = line.indexOf('{');
            String name = line.substring(0, brace);
            Map<String, String> labels = new LinkedHashMap<>();
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                assertEquals('"', line.charAt(eq + 1), line);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
            }
            assertEquals(' ', line.charAt(i + 1), line);
            return new Sample(name, labels, Double.parseDouble(line.substring(i + 2)));
        }

        boolean has(String name, String profile) {
            return samples.stream().anyMatch(s -> s.name().equals(name) && s.labels().get("profile").equals(profile));
        }

        /** The one sample of {@code name} for {@code profile} (and {@code status}, when not null). */
        double value(String name, String profile, String status) {
            List<Sample> found = samples.stream().filter(s -> s.name().equals(name)
                    && s.labels().get("profile").equals(profile)
                    && (status == null || status.equals(s.labels().get("status")))).toList();
            assertEquals(1, found.size(), name + " " + profile + " " + status + ": " + found);
            return found.get(0).value();
        }
    }
}
