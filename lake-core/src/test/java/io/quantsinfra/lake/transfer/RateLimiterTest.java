package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --bwlimit}: READs are paced before they are sent, so the bytes on the wire follow the rate. */
@Timeout(60)
class RateLimiterTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    /** When the server read how many bytes of a file for a READ. */
    private record Served(long nanos, int bytes) {
    }

    @Test
    void pace_withoutWaiting_refusesUntilTheTimeOfTheReadsBeforeHasPassed() throws IOException {
        RateLimiter limiter = new RateLimiter(1024);

        assertTrue(limiter.pace(1024, false), "the first READ goes at once");
        assertFalse(limiter.pace(1, false), "the next one only a second later");
    }

    @Test
    void bwlimit_pacesTheReadsOnTheWire_soTheFirstSecondServesAboutTheRate_andTheFileArrivesWhole() throws Exception {
        List<Served> served = new CopyOnWriteArrayList<>();
        SftpEventListener reads = new SftpEventListener() {
            @Override
            public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                             int dataOffset, int dataLen, int readLen, Throwable thrown) {
                if (readLen > 0) {
                    served.add(new Served(System.nanoTime(), readLen));
                }
            }
        };
        try (SftpTestServer server = SftpTestServer.builder(tmp.resolve("remote")).keyDirectory(tmp.resolve("keys"))
                .sftpEventListener(reads).start()) {
            long size = 3 * MIB;
            SampleLake.writeFile(server.servedRoot().resolve("big.parquet"), size, 1);
            Path lake = tmp.resolve("lake");

            SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --bwlimit=1M"))
                    .sync("p", LakeFixture.options(), SyncListener.NONE);

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
            assertEquals(size, served.stream().mapToLong(Served::bytes).sum(), "each byte served once");
            long first = served.get(0).nanos();
            long inFirstSecond = served.stream().filter(s -> s.nanos() - first < 1_000_000_000L)
                    .mapToLong(Served::bytes).sum();
            // 1 MiB/s and one READ (255 KiB) beyond; without pacing all 3 MiB went at once
            assertTrue(inFirstSecond <= 3 * MIB / 2, inFirstSecond + " bytes served in the first second");
            long spread = served.get(served.size() - 1).nanos() - first;
            assertTrue(spread >= 1_500_000_000L, "3 MiB at 1 MiB/s served within " + spread / 1_000_000 + " ms");
        }
    }
}
