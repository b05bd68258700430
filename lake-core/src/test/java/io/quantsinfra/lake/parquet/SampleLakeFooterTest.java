package io.quantsinfra.lake.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.parquet.FooterCheck.Complete;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's sample lake passes the footer check that holds back unfinished Parquet files, so the demo and the
 * tests that sync a sample lake publish every part.
 */
class SampleLakeFooterTest {
    @TempDir
    Path dir;

    @Test
    void everyPartOfASampleLakeIsCompleteWithTheRowsTheBuilderWrote() throws IOException {
        SampleLake.Summary summary = SampleLake.builder().symbols("BTC-USDT", "ETH-USDT").days(3)
                .endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(10, 400_000).seed(4).writeTo(dir);
        long rows = 0;
        for (String relativePath : summary.relativePaths()) {
            FooterCheck check = ParquetFooter.check(dir.resolve(relativePath));
            Complete complete = assertInstanceOf(Complete.class, check, relativePath);
            assertEquals(1, complete.rowGroups(), relativePath);
            rows += complete.numRows();
        }
        assertEquals(summary.rowsWritten(), rows);
    }
}
