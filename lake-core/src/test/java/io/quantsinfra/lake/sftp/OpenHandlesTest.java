package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every open remote handle is a descriptor in the server's process, and sshd usually runs with
 * a soft limit of 1,024: against a server that may serve all its sessions from one process, as
 * MINA does, a sync keeps about {@link HandlePermits#PER_PROCESS} open at most, even with hundreds
 * of workers listing a thousand directories and reading small files in groups.
 */
class OpenHandlesTest {
    @TempDir
    Path tmp;

    /** Counts the handles the server holds open, and the most it held at once. */
    private static final class HandleCounter implements SftpEventListener {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        @Override
        public void open(ServerSession session, String remoteHandle, Handle localHandle) {
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        @Override
        public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
            open.decrementAndGet();
        }
    }

    @Test
    void manyDirectoriesAndSmallFiles_withManyWorkers_neverHoldMoreHandlesThanTheBound() throws Exception {
        HandleCounter counter = new HandleCounter();
        try (SftpTestServer server = SftpTestServer.builder(tmp.resolve("remote")).keyDirectory(tmp.resolve("keys"))
                .sftpEventListener(counter).start()) {
            for (int d = 0; d < 1000; d++) {
                Path dir = Files.createDirectories(server.servedRoot().resolve(String.format("d%04d", d)));
                for (int f = 0; f < 2; f++) {
                    SampleLake.writeFile(dir.resolve("part_" + f + ".parquet"), 300, d * 2L + f);
                }
            }
            Path lake = tmp.resolve("lake");
            SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a", p -> p.parallelFiles(256)))
                    .sync("p", LakeFixture.options(), SyncListener.NONE);

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(2000, r.filesTransferred());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
            // the bound, plus CLOSEs on their way (a permit returns once its CLOSE is sent); unbounded, this run held 1,000
            assertTrue(counter.most.get() > 0 && counter.most.get() <= HandlePermits.PER_PROCESS + 128,
                    "at most " + counter.most.get() + " handles were open at once");
        }
    }
}
