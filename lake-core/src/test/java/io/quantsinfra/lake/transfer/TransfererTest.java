package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.store.StagedFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.DirectoryRemoteFs;
import io.quantsinfra.lake.MemoryStore;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.ParquetParts;
import io.quantsinfra.lake.config.RsyncArgs;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file's life, without a server or a disk lake: a directory as the remote, an in-memory
 * store as the lake. Outcomes are the bytes published, the bytes moved and the failures.
 */
class TransfererTest {
    private static final int LARGE = 3 * 1024 * 1024;
    private static final long MTIME = 1_700_000_000L;

    @TempDir
    Path remote;
    private final MemoryStore store = new MemoryStore();
    private RemoteSession session;
    private Transferer transferer;

    @BeforeEach
    void connect() {
        session = new RemoteSession(DirectoryRemoteFs::new, 0, Duration.ZERO, SyncListener.NONE, new Cancellation());
        transferer = new Transferer(session, remote.toString(), store, RsyncArgs.parse("-a --partial"), SyncListener.NONE,
                () -> false, new InFlight(), Runnable::run, ParquetParts.NONE);
    }

    @AfterEach
    void disconnect() {
        session.close();
    }

    @Test
    void aLargeFile_isStreamed_sealedWithItsMtime_andPublishedWhole() throws Exception {
        byte[] data = remoteFile("big.bin", LARGE, 1);

        Transferer.Outcome o = receiveAndPublish(transfer("big.bin", LARGE, 0));

        assertArrayEquals(data, store.files().get("big.bin").bytes());
        assertEquals(MTIME, store.files().get("big.bin").mtime());
        assertEquals(LARGE, o.bytesTransferred());
        assertFalse(o.resumed());
        assertTrue(store.staged().isEmpty(), "nothing left staged");
    }

    @Test
    void aPartialWhoseTailMatches_isResumed_movingOnlyTheRestAndTheCheckedTail() throws Exception {
        byte[] data = remoteFile("big.bin", LARGE, 2);
        int held = 1024 * 1024;
        store.staged().put("big.bin", Arrays.copyOf(data, held));

        Transferer.Outcome o = receiveAndPublish(transfer("big.bin", LARGE, held));

        assertTrue(o.resumed());
        assertEquals(LARGE - held + StagedFile.TAIL_WINDOW, o.bytesTransferred());
        assertArrayEquals(data, store.files().get("big.bin").bytes());
    }

    @Test
    void aPartialWhoseTailDiffers_isFetchedAgainFromTheStart() throws Exception {
        byte[] data = remoteFile("big.bin", LARGE, 3);
        byte[] stale = Arrays.copyOf(data, 1024 * 1024);
        stale[stale.length - 1] ^= 1;
        store.staged().put("big.bin", stale);

        Transferer.Outcome o = receiveAndPublish(transfer("big.bin", LARGE, stale.length));

        assertFalse(o.resumed());
        assertEquals(StagedFile.TAIL_WINDOW + LARGE, o.bytesTransferred());
        assertArrayEquals(data, store.files().get("big.bin").bytes());
    }

    @Test
    void aFileShorterThanListed_failsOnItsOwn_andNothingIsPublishedOrKept() throws Exception {
        remoteFile("big.bin", LARGE, 4);

        Transferer.FileFailedException e = assertThrows(Transferer.FileFailedException.class,
                () -> transferer.receive(transfer("big.bin", LARGE + 10, 0)));

        assertTrue(e.error().message().contains("shrank while it was copied"), e.error().message());
        assertEquals("big.bin", e.error().path());
        assertTrue(store.files().isEmpty());
        assertTrue(store.staged().isEmpty(), "a changed file's bytes are not kept for a resume");
    }

    @Test
    void smallFiles_areReadWholeInOneCall_andEachIsPublished() throws Exception {
        List<SyncPlan.Transfer> ts = List.of(transfer("a", 10, 0), transfer("b", 70_000, 0), transfer("c", 0, 0));
        byte[] a = remoteFile("a", 10, 5);
        byte[] b = remoteFile("b", 70_000, 6);
        byte[] c = remoteFile("c", 0, 7);
        assertTrue(ts.stream().allMatch(transferer::readsWhole));

        List<RemoteFs.Whole> got = transferer.fetchWhole(ts);
        for (Transferer.Attempt attempt : transferer.keepWhole(ts, got)) {
            assertNull(attempt.failure());
            transferer.seal(attempt.received(), true);
            transferer.publish(attempt.received());
        }

        assertArrayEquals(a, store.files().get("a").bytes());
        assertArrayEquals(b, store.files().get("b").bytes());
        assertArrayEquals(c, store.files().get("c").bytes());
    }

    private Transferer.Outcome receiveAndPublish(SyncPlan.Transfer t) throws Exception {
        Transferer.Received r = transferer.receive(t);
        transferer.seal(r, true);
        return transferer.publish(r);
    }

    private static SyncPlan.Transfer transfer(String path, long size, long resumeFrom) {
        return new SyncPlan.Transfer(path, size, MTIME, 0644, resumeFrom, "test");
    }

    private byte[] remoteFile(String name, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path p = remote.resolve(name);
        Files.write(p, data);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(MTIME, java.util.concurrent.TimeUnit.SECONDS));
        return data;
    }
}
