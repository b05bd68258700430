package io.quantsinfra.lake.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint.Status;
import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.LakeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointStoreTest {
    private static final Instant NOW = Instant.parse("2024-11-28T14:30:45.123Z");
    private static final String ASIDE = "cex_ticks.json.corrupt-20241128T143045Z";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("checkpoints").resolve("cex_ticks.json");
    }

    private CheckpointStore store() {
        return new CheckpointStore(file(), "cex_ticks", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Checkpoint sample() {
        return Checkpoint.empty("cex_ticks").started(NOW.minusSeconds(60))
                .finished(Status.SUCCESS, NOW, 4, 4096, 1, List.of(), List.of());
    }

    private List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void load_missingFile_givesEmptyCheckpointWithoutWarning() {
        CheckpointStore.Loaded loaded = store().load();
        assertEquals(Checkpoint.empty("cex_ticks"), loaded.checkpoint());
        assertEquals(Optional.empty(), loaded.warning());
        assertFalse(Files.exists(file().getParent()), "loading must not create anything");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   \n",
        "[]",
        "null",
        "not json at all",
        "{\"profile_name\": \"cex_ticks\", \"files_transferred\": 3, \"bytes_tra",
        "{\"profile_name\": \"cex_ticks\"} trailing",
        "{}",
        "{\"profile_name\": \"cex_ticks\", \"last_sync_status\": \"exploded\"}",
        "{\"profile_name\": \"cex_ticks\", \"started_at\": \"yesterday\"}",
        "{\"profile_name\": \"cex_ticks\", \"files_transferred\": -1}",
        "{\"profile_name\": \"cex_ticks\", \"errors\": [null]}",
        "{\"profile_name\": \"cex_ticks\", \"partials\": \"none\"}",
        "{\"profile_name\": \"cex_ticks\", \"files_transferred\": \"3\"}",
        "{\"profile_name\": \"cex_ticks\", \"totals\": {\"syncs\": {\"success\": -2}}}",
        "{\"profile_name\": \"cex_ticks\", \"local_lake\": [1, 2]}",
    })
    void load_badContent_isMovedAsideWithWarning_andTreatedAsAbsent(String content) throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content);

        CheckpointStore.Loaded loaded = store().load();

        assertEquals(Checkpoint.empty("cex_ticks"), loaded.checkpoint());
        Path aside = file().resolveSibling(ASIDE);
        assertTrue(Files.exists(aside), "moved aside to " + aside);
        assertEquals(content, Files.readString(aside));
        assertFalse(Files.exists(file()));
        String warning = loaded.warning().orElseThrow();
        assertTrue(warning.contains("moved it to " + aside), warning);
        assertTrue(warning.contains(store().file().toString()), warning);
    }

    @Test
    void load_emptyFile_saysSo() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "");
        String warning = store().load().warning().orElseThrow();
        assertTrue(warning.contains("(the file is empty)"), warning);
    }

    @Test
    void load_wrongType_saysWhichFieldAndWhere() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\n  \"profile_name\": \"cex_ticks\",\n  \"files_transferred\": \"three\"\n}\n");
        String warning = store().load().warning().orElseThrow();
        assertTrue(warning.contains("(files_transferred must be a whole number at line 3, column"), warning);
    }

    @Test
    void load_corruptTwiceInOneSecond_keepsBothCopies() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "first");
        store().load();
        Files.writeString(file(), "second");
        String warning = store().load().warning().orElseThrow();
        assertTrue(warning.contains(ASIDE + "-2"), warning);
        assertEquals("first", Files.readString(file().resolveSibling(ASIDE)));
        assertEquals("second", Files.readString(file().resolveSibling(ASIDE + "-2")));
    }

    @Test
    void load_unreadablePath_throwsLocalIo() throws IOException {
        Files.createDirectories(file());
        LakeException e = assertThrows(LakeException.class, () -> store().load());
        assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
        assertEquals(file().toString(), e.subject());
        assertTrue(e.hint().isPresent());
    }

    @Test
    void save_createsDirectories_andLeavesOnlyTheCheckpoint() throws IOException {
        store().save(sample());
        assertEquals(List.of("cex_ticks.json"), namesIn(file().getParent()));
        assertEquals(sample(), store().load().checkpoint());
    }

    @Test
    void save_replacesThePreviousCheckpoint() throws IOException {
        store().save(Checkpoint.empty("cex_ticks"));
        store().save(sample());
        assertEquals(sample(), store().load().checkpoint());
        assertEquals(List.of("cex_ticks.json"), namesIn(file().getParent()));
    }

    @Test
    void save_failure_throwsLocalIo_removesTheTempFile_andKeepsTheTarget() throws IOException {
        // A non-empty directory in the checkpoint's place makes the final rename fail (even as root).
        Files.createDirectories(file().resolve("occupied"));

        LakeException e = assertThrows(LakeException.class, () -> store().save(sample()));

        assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
        assertEquals(file().toString(), e.subject());
        assertTrue(e.hint().orElseThrow().contains("writable"), e.hint().orElseThrow());
        assertEquals(List.of("cex_ticks.json"), namesIn(file().getParent()));
        assertTrue(Files.isDirectory(file().resolve("occupied")));
    }

    @Test
    void save_directoryCannotBeCreated_throwsLocalIo() throws IOException {
        Files.writeString(dir.resolve("checkpoints"), "a file where the directory should be");
        LakeException e = assertThrows(LakeException.class, () -> store().save(sample()));
        assertEquals(LakeException.Kind.LOCAL_IO, e.kind());
    }

    @Test
    void save_checkpointOfAnotherProfile_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> store().save(Checkpoint.empty("dex_candles")));
    }
}
