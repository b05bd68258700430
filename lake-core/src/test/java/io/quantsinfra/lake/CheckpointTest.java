package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quantsinfra.lake.Checkpoint.Status;
import io.quantsinfra.lake.state.CheckpointStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Instant START = Instant.parse("2024-11-28T14:30:45Z");
    private static final Instant END = Instant.parse("2024-11-28T14:32:15.500Z");

    @TempDir
    Path dir;

    private CheckpointStore store() {
        return new CheckpointStore(dir.resolve("cex_ticks.json"), "cex_ticks", Clock.fixed(END, ZoneOffset.UTC));
    }

    private static Checkpoint partialRun() {
        return Checkpoint.empty("cex_ticks").started(START).finished(Status.PARTIAL, END, 12, 345_678, 2,
                List.of(new PathError("2024/11/28/part-0007.parquet", "permission denied")),
                List.of(new Checkpoint.Partial("2024/11/28/part-0009.parquet", 1_048_576, 1_732_804_200L, 524_288),
                        new Checkpoint.Partial("2024/11/28/part-0010.parquet", 20_971_520, 1_732_804_260L, 8_388_608,
                                java.util.Optional.of("upload-1"))))
                .withLocalLake(new Checkpoint.LocalLake(40, 4_000_000));
    }

    private JsonNode savedTree(Checkpoint checkpoint) throws IOException {
        store().save(checkpoint);
        return new ObjectMapper().readTree(Files.readString(dir.resolve("cex_ticks.json")));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void save_thenLoad_roundTripsEveryField() {
        Checkpoint checkpoint = partialRun().cleanedUp(END.plusSeconds(5), 3, 9_000);
        assertTrue(checkpoint.lastCleanupTime() != null && checkpoint.cleanupDirsDeleted() != checkpoint.cleanupBytesFreed()
                && checkpoint.totals().cleanupDirsDeleted() > 0, "every field set, and no two counts equal");
        store().save(checkpoint);
        CheckpointStore.Loaded loaded = store().load();
        assertEquals(checkpoint, loaded.checkpoint());
        assertEquals(Optional.empty(), loaded.warning());
    }

    @Test
    void json_hasExactlyTheDocumentedSnakeCaseFields() throws IOException {
        JsonNode json = savedTree(partialRun());
        assertEquals(List.of("profile_name", "last_sync_status", "started_at", "last_sync_time", "last_success_time",
                "files_transferred", "bytes_transferred", "files_deleted", "duration_seconds", "errors", "partials",
                "held_back", "last_cleanup_time", "cleanup_dirs_deleted", "cleanup_bytes_freed", "totals", "local_lake"),
                fieldNames(json));
        assertEquals(List.of("syncs", "files_transferred", "bytes_transferred", "cleanup_dirs_deleted", "cleanup_bytes_freed"),
                fieldNames(json.get("totals")));
        assertEquals(List.of("files", "bytes", "rows"), fieldNames(json.get("local_lake")));
        assertEquals(40, json.get("local_lake").get("files").longValue());
        assertEquals(4_000_000, json.get("local_lake").get("bytes").longValue());
        assertEquals(1, json.get("totals").get("syncs").get("partial").longValue());
        assertEquals("cex_ticks", json.get("profile_name").textValue());
        assertEquals("partial", json.get("last_sync_status").textValue());
        assertEquals("2024-11-28T14:30:45Z", json.get("started_at").textValue());
        assertEquals("2024-11-28T14:32:15.500Z", json.get("last_sync_time").textValue());
        assertTrue(json.get("last_success_time").isNull());
        assertEquals(12, json.get("files_transferred").longValue());
        assertEquals(345_678, json.get("bytes_transferred").longValue());
        assertEquals(2, json.get("files_deleted").longValue());
        assertEquals(90.5, json.get("duration_seconds").doubleValue());

        JsonNode error = json.get("errors").get(0);
        assertEquals(List.of("path", "message"), fieldNames(error));
        assertEquals("permission denied", error.get("message").textValue());

        JsonNode partial = json.get("partials").get(0);
        assertEquals(List.of("path", "remote_size", "remote_mtime", "bytes_held"), fieldNames(partial));
        assertTrue(partial.get("remote_mtime").isIntegralNumber());
        assertEquals(1_732_804_200L, partial.get("remote_mtime").longValue());
        assertEquals(524_288, partial.get("bytes_held").longValue());
    }

    @Test
    void json_ofANeverSyncedProfile_hasNullsAndEmptyLists() throws IOException {
        JsonNode json = savedTree(Checkpoint.empty("cex_ticks"));
        assertTrue(json.get("last_sync_status").isNull());
        assertTrue(json.get("started_at").isNull());
        assertTrue(json.get("last_sync_time").isNull());
        assertTrue(json.get("last_success_time").isNull());
        assertEquals(0, json.get("errors").size());
        assertEquals(0, json.get("partials").size());
    }

    @Test
    void json_statusWordsAreLowercase() throws IOException {
        for (Status status : Status.values()) {
            Checkpoint checkpoint = Checkpoint.empty("cex_ticks").started(START);
            if (status != Status.RUNNING) {
                checkpoint = checkpoint.finished(status, END, 0, 0, 0, List.of(), List.of());
            }
            String word = status.name().toLowerCase(java.util.Locale.ROOT);
            assertEquals(word, status.word());
            assertEquals(word, savedTree(checkpoint).get("last_sync_status").textValue());
            assertEquals(status, store().load().checkpoint().lastSyncStatus());
            assertEquals(status, Status.fromWord(word));
        }
        assertThrows(IllegalArgumentException.class, () -> Status.fromWord("SUCCESS"));
    }

    @Test
    void load_ignoresUnknownFields_forForwardCompatibility() throws IOException {
        Files.writeString(dir.resolve("cex_ticks.json"), """
                {
                  "profile_name": "cex_ticks",
                  "schema_version": 7,
                  "last_sync_status": "success",
                  "started_at": "2024-11-28T14:30:45Z",
                  "last_sync_time": "2024-11-28T14:32:15.500Z",
                  "last_success_time": "2024-11-28T14:32:15.500Z",
                  "files_transferred": 3,
                  "bytes_transferred": 300,
                  "files_deleted": 0,
                  "duration_seconds": 90.5,
                  "future_stats": {"retries": [1, 2]},
                  "errors": [{"path": "a.parquet", "message": "boom", "errno": 13}],
                  "partials": [{"path": "b.parquet", "remote_size": 10, "remote_mtime": 1732804200,
                                "bytes_held": 5, "sha256": "abc"}]
                }
                """);
        CheckpointStore.Loaded loaded = store().load();
        assertEquals(Optional.empty(), loaded.warning());
        assertEquals(new Checkpoint("cex_ticks", Status.SUCCESS, START, END, END, 3, 300, 0, 90.5,
                List.of(new PathError("a.parquet", "boom")),
                List.of(new Checkpoint.Partial("b.parquet", 10, 1_732_804_200L, 5)), null, 0, 0, null, null, null),
                loaded.checkpoint());
    }

    @Test
    void load_defaultsMissingFields() throws IOException {
        Files.writeString(dir.resolve("cex_ticks.json"), "{\"profile_name\": \"cex_ticks\"}");
        CheckpointStore.Loaded loaded = store().load();
        assertEquals(Optional.empty(), loaded.warning());
        assertEquals(Checkpoint.empty("cex_ticks"), loaded.checkpoint());
    }

    @Test
    void started_marksRunning_keepsLastSuccessAndPartials_clearsErrorsAndCounters() {
        Instant earlier = START.minusSeconds(86_400);
        List<Checkpoint.Partial> partials = List.of(new Checkpoint.Partial("x.parquet", 10, 1, 4));
        Checkpoint previous = new Checkpoint("cex_ticks", Status.PARTIAL, START, END, earlier, 12, 345_678, 2, 90.5,
                List.of(new PathError("a.parquet", "boom")), partials, null, 0, 0, null, new Checkpoint.LocalLake(7, 700),
                null);
        Instant now = END.plusSeconds(3600);
        Checkpoint running = previous.started(now);
        assertEquals(new Checkpoint.LocalLake(7, 700), running.localLake(), "kept until the run measures it again");

        assertEquals(Status.RUNNING, running.lastSyncStatus());
        assertEquals(now, running.startedAt());
        assertEquals(END, running.lastSyncTime());
        assertEquals(earlier, running.lastSuccessTime());
        assertEquals(List.of(), running.errors());
        assertEquals(partials, running.partials());
        assertEquals(0, running.filesTransferred());
        assertEquals(0, running.bytesTransferred());
        assertEquals(0, running.filesDeleted());
        assertEquals(0.0, running.durationSeconds());
    }

    @Test
    void finished_setsEndDurationAndSuccessTime() {
        Checkpoint success = Checkpoint.empty("cex_ticks").started(START)
                .finished(Status.SUCCESS, END, 5, 500, 1, List.of(), List.of());
        assertEquals(Status.SUCCESS, success.lastSyncStatus());
        assertEquals(END, success.lastSyncTime());
        assertEquals(END, success.lastSuccessTime());
        assertEquals(90.5, success.durationSeconds());
        assertEquals(5, success.filesTransferred());
        assertEquals(500, success.bytesTransferred());
        assertEquals(1, success.filesDeleted());

        Instant later = END.plusSeconds(600);
        Checkpoint failed = success.started(later).finished(Status.FAILED, later.plusSeconds(2), 0, 0, 0,
                List.of(new PathError("", "connection refused")), List.of());
        assertEquals(Status.FAILED, failed.lastSyncStatus());
        assertEquals(END, failed.lastSuccessTime());
        assertEquals(later.plusSeconds(2), failed.lastSyncTime());
        assertEquals(2.0, failed.durationSeconds());

        assertThrows(IllegalArgumentException.class,
                () -> success.finished(Status.RUNNING, END, 0, 0, 0, List.of(), List.of()));
    }

    @Test
    void totals_accumulateOverRunsAndCleanups_whileLastRunFieldsReset() {
        Checkpoint first = Checkpoint.empty("cex_ticks").started(START)
                .finished(Status.SUCCESS, END, 5, 500, 0, List.of(), List.of()).cleanedUp(END, 2, 1000);
        Checkpoint second = first.started(END.plusSeconds(60))
                .finished(Status.PARTIAL, END.plusSeconds(70), 3, 30, 0, List.of(), List.of()).cleanedUp(END, 1, 10);
        Checkpoint third = second.started(END.plusSeconds(120))
                .finished(Status.SUCCESS, END.plusSeconds(130), 0, 0, 0, List.of(), List.of());

        assertEquals(0, third.filesTransferred());
        assertEquals(1, third.cleanupDirsDeleted());
        Checkpoint.Totals totals = third.totals();
        assertEquals(2, totals.syncs(Status.SUCCESS));
        assertEquals(1, totals.syncs(Status.PARTIAL));
        assertEquals(0, totals.syncs(Status.FAILED));
        assertEquals(8, totals.filesTransferred());
        assertEquals(530, totals.bytesTransferred());
        assertEquals(3, totals.cleanupDirsDeleted());
        assertEquals(totals, third.started(END.plusSeconds(200)).withPartials(List.of()).totals());
    }

    @Test
    void lists_areCopiedImmutably_andNeverNull() {
        List<PathError> errors = new ArrayList<>(List.of(new PathError("a", "b")));
        Checkpoint checkpoint = new Checkpoint("p", Status.PARTIAL, START, END, null, 0, 0, 0, 1, errors, null, null, 0, 0, null, null,
                null);
        errors.clear();
        assertEquals(1, checkpoint.errors().size());
        assertEquals(List.of(), checkpoint.partials());
        assertThrows(UnsupportedOperationException.class, () -> checkpoint.errors().clear());
        assertThrows(UnsupportedOperationException.class,
                () -> checkpoint.withPartials(new ArrayList<>()).partials().add(new Checkpoint.Partial("x", 1, 1, 1)));
    }

    @Test
    void savedFile_isPrettyUtf8EndingInNewline() throws IOException {
        store().save(partialRun());
        String text = new String(Files.readAllBytes(dir.resolve("cex_ticks.json")), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\n  \"profile_name\" : \"cex_ticks\","), text);
        assertTrue(text.endsWith("}\n"), text);
    }
}
