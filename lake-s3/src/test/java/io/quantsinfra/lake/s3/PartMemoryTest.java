package io.quantsinfra.lake.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PartMemoryTest {

    @Test
    void aThreadThatHoldsMemory_takesMoreWithoutWaiting_andOthersWaitUntilItIsBack() throws Exception {
        PartMemory memory = new PartMemory(100);
        // one thread keeps a group of two files: waiting for the memory it holds itself would never end
        List<PartMemory.Share> group = CompletableFuture.supplyAsync(() -> List.of(memory.take(80), memory.take(80)))
                .get(10, TimeUnit.SECONDS);

        assertEquals(-60, memory.free(), "the holder went beyond the budget");
        CompletableFuture<PartMemory.Share> other = CompletableFuture.supplyAsync(() -> memory.take(50));
        assertWaits(other);
        memory.release(group.get(0));
        assertWaits(other); // 20 free: still not enough
        memory.release(group.get(1));
        PartMemory.Share third = other.get(10, TimeUnit.SECONDS);
        assertEquals(50, memory.free());
        memory.release(third);
        assertEquals(100, memory.free());
    }

    @Test
    void aShareIsAtMostTheWholeBudget() {
        PartMemory memory = new PartMemory(100);
        assertEquals(100, memory.take(1_000).bytes());
    }

    private static void assertWaits(CompletableFuture<?> f) throws Exception {
        try {
            f.get(200, TimeUnit.MILLISECONDS);
            fail("took memory that was not free");
        } catch (TimeoutException expected) {
            assertFalse(f.isDone());
        }
    }
}
