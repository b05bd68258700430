package io.quantsinfra.lake.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.MemoryStore;
import io.quantsinfra.lake.config.ParquetParts;
import io.quantsinfra.lake.parquet.ParquetFixtures;
import io.quantsinfra.lake.state.RowCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeRowsTest {
    @TempDir
    Path dir;

    @Test
    void eachFooterIsReadOnce_alsoThatOfAFileNamedLikeAPartThatIsNone() throws Exception {
        MemoryStore store = new MemoryStore();
        store.files().put("gate_io_BTC-USDT_20241128/a.parquet", new MemoryStore.Stored(
                Files.readAllBytes(ParquetFixtures.write(dir.resolve("a.parquet"), ParquetFixtures.TRADES, "")), 1));
        store.files().put("gate_io_BTC-USDT_20241128/random.parquet", new MemoryStore.Stored("not parquet".getBytes(), 1));
        store.files().put("notes.txt", new MemoryStore.Stored("x".getBytes(), 1));
        ParquetParts parts = new ParquetParts(ParquetParts.DEFAULT_PATTERNS, ParquetParts.DEFAULT_WARN_AFTER);
        Path file = dir.resolve("p.rows");

        for (int run = 0; run < 2; run++) {
            RowCache cache = RowCache.load(file);
            LakeRows.Tally tally = LakeRows.count(parts, store, cache);
            cache.save();
            assertEquals(3, tally.files());
            assertEquals(1000, tally.rows());
            assertEquals(Map.of(LocalDate.of(2024, 11, 28), 1000L), tally.rowsByDate());
            assertEquals(1, tally.partsUnread(), "random.parquet has no footer");
            assertEquals(2, store.reads(), "the second pass reads nothing: both answers were cached");
        }
    }
}
