package io.quantsinfra.lake.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchSyncTest {
    private static final Path DIR = Path.of("/lake/p/day");

    /** Records when each file was published or failed, counted in syncs done before. */
    private static class Recorder implements BatchSync.Waiting {
        final AtomicInteger syncs;
        final List<String> log;
        final String name;

        Recorder(String name, AtomicInteger syncs, List<String> log) {
            this.name = name;
            this.syncs = syncs;
            this.log = log;
        }

        @Override
        public Path directory() {
            return DIR;
        }

        @Override
        public void durable() {
            log.add(name + " durable after " + syncs.get());
        }

        @Override
        public void notDurable(IOException e) {
            log.add(name + " failed: " + e.getMessage());
        }
    }

    @Test
    void manyFiles_arePublishedInOrder_eachAfterASync_withFewSyncs() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        List<Set<Path>> asked = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        BatchSync batches = new BatchSync(dirs -> {
            asked.add(dirs);
            syncs.incrementAndGet();
        }, Thread::new);
        int n = 3 * BatchSync.MAX_FILES;
        for (int i = 0; i < n; i++) {
            batches.add(new Recorder("f" + i, syncs, log));
        }
        batches.finish();

        assertEquals(n, log.size());
        for (int i = 0; i < n; i++) {
            String line = log.get(i);
            assertTrue(line.startsWith("f" + i + " durable after ") && !line.endsWith(" after 0"), line);
        }
        // added faster than any deadline: full batches, not a sync per file
        assertTrue(syncs.get() >= 3 && syncs.get() <= n / 64, syncs.get() + " syncs");
        assertTrue(asked.stream().allMatch(d -> d.equals(Set.of(DIR))), asked.toString());
    }

    @Test
    void aFailedSync_failsEveryFileOfItsBatch_andPublishesNoneOfThem() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        BatchSync batches = new BatchSync(dirs -> {
            throw new IOException("syncfs failed: [5] Input/output error");
        }, Thread::new);
        batches.add(new Recorder("a", syncs, log));
        batches.add(new Recorder("b", syncs, log));
        batches.finish();

        assertEquals(List.of("a failed: syncfs failed: [5] Input/output error",
                "b failed: syncfs failed: [5] Input/output error"), log);
    }

    @Test
    void aBugInAFilesCallback_doesNotStopTheOthers_andSurfacesFromFinish() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException bug = new IllegalStateException("bug");
        BatchSync batches = new BatchSync(dirs -> syncs.incrementAndGet(), Thread::new);
        batches.add(new Recorder("a", syncs, log) {
            @Override
            public void durable() {
                throw bug;
            }
        });
        batches.add(new Recorder("b", syncs, log));

        assertSame(bug, assertThrows(IllegalStateException.class, batches::finish));
        assertEquals(List.of("b durable after 1"), log);
    }

    /** A disk slower than the network: add waits once MAX_QUEUED files are queued, and goes on after. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void whileASyncIsSlow_addWaitsAtTheQueueBound_thenEverythingIsPublished() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch slowDisk = new java.util.concurrent.CountDownLatch(1);
        BatchSync batches = new BatchSync(dirs -> {
            try {
                slowDisk.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            syncs.incrementAndGet();
        }, Thread::new);
        int n = BatchSync.MAX_FILES + BatchSync.MAX_QUEUED + 10;
        AtomicInteger added = new AtomicInteger();
        Thread adder = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    batches.add(new Recorder("f" + i, syncs, log));
                    added.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        adder.start();
        // the first batch is taken and stuck in its sync; then the queue fills up and add waits
        while (!(adder.getState() == Thread.State.WAITING && added.get() >= BatchSync.MAX_QUEUED)) {
            assertTrue(adder.isAlive(), added.get() + " added");
            Thread.sleep(5);
        }
        assertTrue(added.get() <= BatchSync.MAX_FILES + BatchSync.MAX_QUEUED, added.get() + " added");
        assertTrue(log.isEmpty());

        slowDisk.countDown();
        adder.join();
        batches.finish();
        assertEquals(n, log.size());
        assertTrue(log.stream().allMatch(l -> l.contains(" durable after ") && !l.endsWith(" after 0")), log.get(0));
    }
}
