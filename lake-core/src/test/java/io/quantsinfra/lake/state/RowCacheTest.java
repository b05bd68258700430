package io.quantsinfra.lake.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quantsinfra.lake.store.LakeStore.StoredFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowCacheTest {
    @TempDir
    Path dir;

    private static StoredFile file(String path, long size, long mtime) {
        return new StoredFile(path, size, mtime < 0 ? OptionalLong.empty() : OptionalLong.of(mtime));
    }

    @Test
    void everyEntry_survivesASaveAndALoad_whileItsFileKeepsSizeAndMtime() throws IOException {
        Path file = RowCache.fileFor(dir.resolve("cex_ticks.json"));
        assertEquals(dir.resolve("cex_ticks.rows"), file);
        RowCache cache = RowCache.load(file);
        for (int i = 0; i < 1000; i++) {
            cache.put("d" + i % 7 + "/part_" + i + ".parquet", 1000 + i, 1_700_000_000L + i, 10L * i);
        }
        cache.save();

        RowCache loaded = RowCache.load(file);
        for (int i = 0; i < 1000; i++) {
            String path = "d" + i % 7 + "/part_" + i + ".parquet";
            assertEquals(OptionalLong.of(10L * i), loaded.rows(file(path, 1000 + i, 1_700_000_000L + i)), path);
        }
        assertEquals(OptionalLong.empty(), loaded.rows(file("d0/part_0.parquet", 1001, 1_700_000_000L)), "size changed");
        assertEquals(OptionalLong.empty(), loaded.rows(file("d0/part_0.parquet", 1000, 1_700_000_001L)), "mtime changed");
        assertEquals(OptionalLong.of(0), loaded.rows(file("d0/part_0.parquet", 1000, -1)),
                "a store that lists no mtime matches by size");
    }

    @Test
    void aDamagedMissingOrForeignFile_isAnEmptyCache() throws IOException {
        Path file = dir.resolve("p.rows");
        assertEquals(OptionalLong.empty(), RowCache.load(file).rows(file("a", 1, 1)), "missing");
        RowCache cache = RowCache.load(file);
        cache.put("a", 1, 1, 5);
        cache.put("b", 2, 2, RowCache.NO_FOOTER);
        cache.save();
        byte[] whole = Files.readAllBytes(file);
        assertEquals(OptionalLong.of(RowCache.NO_FOOTER), RowCache.load(file).rows(file("b", 2, 2)), "no footer, remembered");

        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertEquals(OptionalLong.empty(), RowCache.load(file).rows(file("a", 1, 1)), "cut short: nothing is trusted");
        byte[] foreign = whole.clone();
        foreign[3] = '2';
        Files.write(file, foreign);
        assertEquals(OptionalLong.empty(), RowCache.load(file).rows(file("a", 1, 1)), "another version's format");
        Files.writeString(file, "{\"files\": {\"a\": [1, 1, 5]}}");
        assertEquals(OptionalLong.empty(), RowCache.load(file).rows(file("a", 1, 1)), "not ours at all");
    }

    @Test
    void itIsWrittenOnlyWhenItChanged_andForgetsFilesNoLongerThere() throws IOException {
        Path file = dir.resolve("p.rows");
        RowCache cache = RowCache.load(file);
        cache.put("a", 1, 1, 5);
        cache.put("b", 2, 2, 7);
        cache.save();
        FileTime written = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));

        RowCache again = RowCache.load(file);
        again.put("a", 1, 1, 5);
        assertEquals(OptionalLong.of(7), again.rows(file("b", 2, 2)));
        again.forgetUnseen();
        again.save();
        assertEquals(FileTime.fromMillis(0), Files.getLastModifiedTime(file), "nothing new: not rewritten");

        again = RowCache.load(file);
        assertEquals(OptionalLong.of(5), again.rows(file("a", 1, 1)));
        assertEquals(OptionalLong.empty(), again.rows(file("b", 3, 2)), "b changed: it counts as not seen");
        again.forgetUnseen();
        again.save();
        assertFalse(Files.getLastModifiedTime(file).equals(FileTime.fromMillis(0)), "b is gone: rewritten " + written);
        assertEquals(OptionalLong.empty(), RowCache.load(file).rows(file("b", 2, 2)));
        assertEquals(OptionalLong.of(5), RowCache.load(file).rows(file("a", 1, 1)));
    }
}
