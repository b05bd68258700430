package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParquetPartsTest {
    private static final List<String> PATHS = List.of("a.parquet", "d/part_00001.parquet", "d/e/x.parquet", ".parquet",
            "d/.part.parquet.lake-part", "d/x.parquet.tmp", "d/x.PARQUET", "d/x.pq", "trades/x.parquet", "parquet",
            "d.parquet/x.csv");

    /** The quick path for plain endings decides as the globs do, as rsync reads them. */
    @Test
    void plainEndings_matchAsTheirGlobsDo() {
        for (List<String> patterns : List.of(List.of("*.parquet"), List.of("*.parquet", "*.pq"), List.of("*.parquet.lake-part"))) {
            ParquetParts parts = new ParquetParts(patterns, Duration.ofHours(24));
            PathFilter globs = PathFilter.of(patterns.stream().map(p -> new FilterRule(true, p)).toList());
            for (String path : PATHS) {
                assertEquals(globs.decidingRule(path, false).isPresent(), parts.covers(path), patterns + " " + path);
            }
        }
    }

    @Test
    void otherGlobs_areReadAsPathFiltersAre_andNoneCoversNothing() {
        ParquetParts trades = new ParquetParts(List.of("trades/*.parquet"), Duration.ZERO);
        assertEquals(List.of(true, false), List.of(trades.covers("trades/x.parquet"), trades.covers("quotes/x.parquet")));
        ParquetParts anyDepth = new ParquetParts(List.of("part_[0-9]*.parquet"), Duration.ZERO);
        assertEquals(List.of(true, false), List.of(anyDepth.covers("d/part_1.parquet"), anyDepth.covers("d/x.parquet")));
        for (String path : PATHS) {
            assertFalse(ParquetParts.NONE.covers(path), path);
        }
    }
}
