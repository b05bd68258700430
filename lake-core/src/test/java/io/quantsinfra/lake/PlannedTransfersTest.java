package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan's transfers in columns: what goes in comes back, in path order. */
class PlannedTransfersTest {
    private static SyncPlan.Transfer transfer(String path, long resumeFrom, String reason) {
        return new SyncPlan.Transfer(path, 10 + path.length(), 1_700_000_000L, 0644, resumeFrom, reason);
    }

    @Test
    void runsAddedInAnyOrder_comeBackInPathOrder_fieldByField() {
        SyncPlan.Transfer a = transfer("d/a.parquet", 0, "new file");
        SyncPlan.Transfer b = transfer("d/é.parquet", 5, "resume at offset 5 (new file)");
        SyncPlan.Transfer top = transfer("top", 0, "size differs (local 1, remote 13)");
        SyncPlan.Transfer deep = transfer("d/sub/x", 0, "new file");
        PlannedTransfers.Builder builder = new PlannedTransfers.Builder();
        builder.addRun(List.of(deep));
        builder.addRun(List.of(top));
        builder.addRun(List.of());
        builder.addRun(List.of(a, b));

        PlannedTransfers planned = builder.build();

        assertEquals(List.of(a, b, deep, top), planned);
        assertEquals(4, planned.size());
        assertThrows(IndexOutOfBoundsException.class, () -> planned.get(4));
    }

    @Test
    void aRunMustHoldOneDirectorysFiles() {
        PlannedTransfers.Builder builder = new PlannedTransfers.Builder();
        assertThrows(IllegalArgumentException.class,
                () -> builder.addRun(List.of(transfer("d/a", 0, "new file"), transfer("d/sub/b", 0, "new file"))));
    }

    @Test
    void aPlanKeepsTheColumns_ratherThanCopyingThem() {
        PlannedTransfers.Builder builder = new PlannedTransfers.Builder();
        builder.addRun(List.of(transfer("a", 0, "new file")));
        PlannedTransfers planned = builder.build();
        SyncPlan plan = new SyncPlan(planned, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                Optional.empty(), 1, 11, 11);
        assertSame(planned, plan.transfers());
    }
}
