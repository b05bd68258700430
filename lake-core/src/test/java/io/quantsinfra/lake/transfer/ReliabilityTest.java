package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.store.StagedFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.FaultProxy;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault injection against the real engine: a link cut at random offsets, a blackholed link, a source rewritten
 * between runs, two runs of one profile at once, and damaged checkpoint files. See docs/RELIABILITY.md.
 */
@Tag("reliability")
class ReliabilityTest {
    private static final long MTIME = 1_700_000_000L;

    @TempDir
    Path tmp;

    private SftpTestServer server;
    private FaultProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start() throws IOException {
        server = SftpTestServer.builder(tmp.resolve("remote")).keyDirectory(tmp.resolve("keys")).start();
        proxy = FaultProxy.start(0, server.port());
    }

    /** Profile "p" through the proxy (host key learnt on first use: the proxy's port has no known_hosts entry). */
    private DataLakeConfig viaProxy(Path lake, String rsyncArgs, Consumer<DataLakeConfig.ProfileBuilder> extra) {
        return DataLakeConfig.builder(lake)
                .profile("p", p -> {
                    p.host(server.host()).port(proxy.port()).user(server.user())
                            .sshKey(server.clientKeyFile()).knownHosts(tmp.resolve("known_hosts"))
                            .hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW)
                            .remoteRoot("/").localSubdir("mirror").rsyncArgs(rsyncArgs).retentionDays(0);
                    extra.accept(p);
                })
                .build();
    }

    private Path remote(String rel) {
        return server.servedRoot().resolve(rel);
    }

    private static void write(Path file, long size, long seed, long mtime) throws IOException {
        Files.createDirectories(file.getParent());
        SampleLake.writeFile(file, size, seed);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
    }

    /** Counts the bytes written locally in one run. */
    private static final class Counting implements SyncListener {
        final AtomicLong bytes = new AtomicLong();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void bytesTransferred(String path, long n) {
            bytes.addAndGet(n);
        }

        @Override
        public synchronized void warning(String message) {
            warnings.add(message);
        }
    }

    /** No file under a final (non-hidden) name differs from the source. */
    private void assertNoTornFile(Path mirror) throws IOException {
        if (!Files.exists(mirror)) {
            return;
        }
        try (Stream<Path> all = Files.walk(mirror)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    String rel = mirror.relativize(p).toString();
                    assertEquals(LakeFixture.sha256(remote(rel)), LakeFixture.sha256(p), "torn file " + rel);
                }
            }
        }
    }

    @Test
    void cutsAtSeededRandomOffsets_rerunsConverge_toAnIdenticalTree_withBoundedWaste() throws Exception {
        start();
        int upstreamCuts = 0;
        long source = 0;
        for (int i = 0; i < 3; i++) {
            write(remote("big/b" + i + ".parquet"), 700_000 + 1000L * i, 100 + i, MTIME);
            source += 700_000 + 1000L * i;
        }
        for (int i = 0; i < 40; i++) {
            long size = 2_000 + 500L * i;
            write(remote("small/d" + (i % 4) + "/s" + i + ".parquet"), size, 200 + i, MTIME);
            source += size;
        }
        Random random = new Random(20261126);
        int cuts = 0;
        int round = 0;
        while (cuts < 20) {
            round++;
            int reconnects = round % 2 == 0 ? 1 : 0;
            DataLakeConfig config = viaProxy(tmp.resolve("lake-" + round), "-a --partial",
                    p -> p.reconnectAttempts(reconnects).parallelFiles(3));
            long total = 0;
            long allowance = 0;
            int runs = 0;
            while (true) {
                runs++;
                assertTrue(runs < 60, "round " + round + " does not converge");
                long held = total;
                // One cut in four is of the client's requests (a few KB per run), the rest of the server's replies.
                FaultProxy.Direction direction = random.nextInt(4) == 0 ? FaultProxy.Direction.UPSTREAM : FaultProxy.Direction.DOWNSTREAM;
                long offset = direction == FaultProxy.Direction.UPSTREAM ? 1 + random.nextInt(20_000)
                        : 1 + (long) (random.nextDouble() * Math.max(10_000, source - held + 40_000));
                proxy.cutAfter(direction, offset);
                int cutsBefore = proxy.cuts();
                Counting counting = new Counting();
                SyncReport report = null;
                try {
                    report = new DataLake(config).sync("p", LakeFixture.options(), counting);
                } catch (LakeException e) {
                    assertEquals(LakeException.Kind.CONNECTION, e.kind(), e.toString());
                }
                proxy.disarmCut(direction);
                boolean cut = proxy.cuts() > cutsBefore;
                cuts += cut ? 1 : 0;
                upstreamCuts += cut && direction == FaultProxy.Direction.UPSTREAM ? 1 : 0;
                Checkpoint cp = new DataLake(config).checkpoint("p");
                assertNoTornFile(tmp.resolve("lake-" + round).resolve("mirror"));
                if (report == null) {
                    assertTrue(cut, "a run failed without a cut");
                    assertEquals(Checkpoint.Status.FAILED, cp.lastSyncStatus());
                    total += counting.bytes.get();
                    allowance += (long) cp.partials().size() * StagedFile.TAIL_WINDOW;
                    continue;
                }
                assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
                assertEquals(Checkpoint.Status.SUCCESS, cp.lastSyncStatus());
                assertTrue(cp.partials().isEmpty(), cp.toString());
                total += report.bytesTransferred();
                if (cut) {
                    assertEquals(1, report.reconnects());
                    allowance += 3L * StagedFile.TAIL_WINDOW; // at most parallel_files files were in flight
                }
                break;
            }
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake-" + round).resolve("mirror")),
                    "round " + round);
            assertTrue(total >= source, "round " + round + ": " + total);
            assertTrue(total <= source + allowance,
                    "round " + round + ": " + total + " bytes over " + runs + " runs for " + source + " source bytes (allowance " + allowance + ")");
        }
        assertTrue(upstreamCuts > 0, "some cuts were of the client's requests");
    }

    @Test
    void blackholedLink_failsWithinTheIoTimeout_andTheNextRunResumes() throws Exception {
        start();
        int size = 4 * 1024 * 1024;
        write(remote("d/big.parquet"), size, 1, MTIME);
        // The reconnect meets the blackhole in its handshake, which --contimeout bounds.
        DataLakeConfig config = viaProxy(tmp.resolve("lake"), "-a --partial --timeout=2 --contimeout=2",
                p -> p.reconnectAttempts(1).parallelFiles(1));
        proxy.bandwidth(1024 * 1024); // slow at the link, so the blackhole catches bytes still in flight
        SyncListener blackholeAt1M = new SyncListener() {
            private long seen;

            @Override
            public synchronized void bytesTransferred(String path, long bytes) {
                seen += bytes;
                if (seen >= 1024 * 1024) {
                    proxy.blackhole();
                }
            }
        };
        AtomicReference<Object> outcome = new AtomicReference<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try {
                outcome.set(new DataLake(config).sync("p", LakeFixture.options(), blackholeAt1M));
            } catch (LakeException e) {
                outcome.set(e);
            }
        });
        if (outcome.get() instanceof LakeException e) {
            assertEquals(LakeException.Kind.CONNECTION, e.kind(), e.toString());
        } else {
            assertEquals(Checkpoint.Status.FAILED, ((SyncReport) outcome.get()).status());
        }
        Checkpoint failed = new DataLake(config).checkpoint("p");
        assertEquals(Checkpoint.Status.FAILED, failed.lastSyncStatus());
        assertEquals(1, failed.partials().size());
        assertFalse(Files.exists(tmp.resolve("lake/mirror/d/big.parquet")));

        proxy.heal().bandwidth(0);
        proxy.reset();
        DataLakeConfig fast = viaProxy(tmp.resolve("lake"), "-a --partial --timeout=2", p -> p.reconnectAttempts(1));
        SyncReport next = new DataLake(fast).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, next.status());
        assertEquals(1, next.filesResumed());
        assertTrue(next.resumedFromCheckpoint());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
    }

    @Test
    void blackholedLink_withoutATimeout_keepaliveEndsTheRun() throws Exception {
        start();
        int size = 4 * 1024 * 1024;
        write(remote("d/big.parquet"), size, 1, MTIME);
        DataLakeConfig config = viaProxy(tmp.resolve("lake"), "-a --partial",
                p -> p.reconnectAttempts(0).parallelFiles(1));
        proxy.bandwidth(1024 * 1024);
        SyncListener blackholeAt1M = new SyncListener() {
            private long seen;

            @Override
            public synchronized void bytesTransferred(String path, long bytes) {
                seen += bytes;
                if (seen >= 1024 * 1024) {
                    proxy.blackhole();
                }
            }
        };
        // Keepalive every 5 s, 3 missed: about 15-20 s, bounded here generously.
        LakeException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(LakeException.class,
                () -> new DataLake(config).sync("p", LakeFixture.options(), blackholeAt1M)));
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        assertTrue(e.getMessage().contains("keep-alive"), e.getMessage());
        Checkpoint failed = new DataLake(config).checkpoint("p");
        assertEquals(Checkpoint.Status.FAILED, failed.lastSyncStatus());
        assertEquals(1, failed.partials().size());
        assertFalse(Files.exists(tmp.resolve("lake/mirror/d/big.parquet")));
    }

    @Test
    void resetLinks_midTransfer_reconnectAndFinishInTheSameRun() throws Exception {
        start();
        write(remote("d/a.parquet"), 2 * 1024 * 1024, 1, MTIME);
        write(remote("d/b.parquet"), 2 * 1024 * 1024, 2, MTIME);
        DataLakeConfig config = viaProxy(tmp.resolve("lake"), "-a --partial", p -> p.reconnectAttempts(3));
        proxy.bandwidth(4 * 1024 * 1024);
        SyncListener resetTwice = new SyncListener() {
            private long seen;

            @Override
            public synchronized void bytesTransferred(String path, long bytes) {
                long before = seen;
                seen += bytes;
                if (before < 1024 * 1024 && seen >= 1024 * 1024 || before < 3 * 1024 * 1024 && seen >= 3 * 1024 * 1024) {
                    proxy.reset();
                }
            }
        };
        SyncReport r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> new DataLake(config).sync("p", LakeFixture.options(), resetTwice));
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(2, r.reconnects());
        assertEquals(4 * 1024 * 1024, r.bytesTransferred(), "each file continues at its own offset");
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
    }

    @Test
    void aFileRewrittenWithTheSameSizeAndANewMtime_isDownloadedAgain() throws Exception {
        start();
        write(remote("d/a.parquet"), 300_000, 1, MTIME);
        write(remote("d/b.parquet"), 1_000, 2, MTIME);
        DataLakeConfig config = viaProxy(tmp.resolve("lake"), "-a --partial", p -> { });
        assertEquals(Checkpoint.Status.SUCCESS, new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE).status());

        write(remote("d/a.parquet"), 300_000, 99, MTIME + 60);
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(List.of("d/a.parquet"), r.plan().transfers().stream().map(SyncPlan.Transfer::path).toList());
        assertEquals(300_000, r.bytesTransferred());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
    }

    @Test
    void twoRunsOfOneProfile_exactlyOneWorks_theOtherIsLocked_andCleanupIsRefused() throws Exception {
        start();
        write(remote("d/big.parquet"), 2 * 1024 * 1024, 1, MTIME);
        DataLakeConfig config = viaProxy(tmp.resolve("lake"), "-a --partial --bwlimit=2M", p -> { });
        CountDownLatch transferring = new CountDownLatch(1);
        AtomicReference<Object> first = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                first.set(new DataLake(config).sync("p", LakeFixture.options(), new SyncListener() {
                    @Override
                    public void bytesTransferred(String path, long bytes) {
                        transferring.countDown();
                    }
                }));
            } catch (RuntimeException e) {
                first.set(e);
            }
        });
        t.start();
        assertTrue(transferring.await(30, TimeUnit.SECONDS));
        LakeException locked = assertThrows(LakeException.class,
                () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        assertEquals(LakeException.Kind.LOCKED, locked.kind());
        LakeException cleanup = assertThrows(LakeException.class, () -> new DataLake(config).cleanup("p", LakeFixture.options(), SyncListener.NONE));
        assertEquals(LakeException.Kind.LOCKED, cleanup.kind());
        t.join(60_000);
        assertTrue(first.get() instanceof SyncReport, String.valueOf(first.get()));
        assertEquals(Checkpoint.Status.SUCCESS, ((SyncReport) first.get()).status());
        assertEquals(Checkpoint.Status.SUCCESS, new DataLake(config).checkpoint("p").lastSyncStatus());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "truncated", "empty"})
    void aDamagedCheckpoint_isMovedAside_withAWarning_andTheSyncSucceeds(String damage) throws Exception {
        start();
        write(remote("d/a.parquet"), 10_000, 1, MTIME);
        DataLakeConfig config = viaProxy(tmp.resolve("lake"), "-a --partial", p -> { });
        assertEquals(Checkpoint.Status.SUCCESS, new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE).status());
        Path file = tmp.resolve("lake/.checkpoints/p.json");
        String good = Files.readString(file);
        Files.writeString(file, switch (damage) {
            case "garbage" -> "\u0000\u00ff{{not json";
            case "truncated" -> good.substring(0, good.length() / 2);
            default -> "";
        }, StandardCharsets.ISO_8859_1);
        write(remote("d/b.parquet"), 5_000, 2, MTIME);

        Counting counting = new Counting();
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), counting);
        assertEquals(Checkpoint.Status.SUCCESS, r.status());
        assertEquals(List.of("d/b.parquet"), r.plan().transfers().stream().map(SyncPlan.Transfer::path).toList(),
                "files already mirrored are not fetched again");
        assertTrue(counting.warnings.stream().anyMatch(w -> w.contains("moved it to")), counting.warnings.toString());
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            assertEquals(1, siblings.filter(p -> p.getFileName().toString().startsWith("p.json.corrupt-")).count());
        }
        assertEquals(Checkpoint.Status.SUCCESS, new DataLake(config).checkpoint("p").lastSyncStatus());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
    }
}
