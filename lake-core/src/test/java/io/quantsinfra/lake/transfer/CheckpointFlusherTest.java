package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DirectoryRemoteFs;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.MemoryStore;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.demo.SampleLake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint flusher is stopped without an interrupt: one that was interrupted mid-write cut
 * the checkpoint file's channel and warned "cannot update the checkpoint:
 * ClosedByInterruptException" in about one run of twelve.
 */
class CheckpointFlusherTest {
    @TempDir
    Path tmp;

    @Test
    void runsWhoseFlusherWritesAllTheTime_endWithoutAWarning() throws Exception {
        Path remote = tmp.resolve("remote");
        SampleLake.builder().symbols("BTC-USDT").days(2).partsPerDay(8).partSize(1_100_000, 1_500_000).seed(4)
                .writeTo(remote);
        DataLakeConfig config = DataLakeConfig.builder(tmp.resolve("lake")).checkpointDir(tmp.resolve("state"))
                .profile("p", p -> p.host("localhost").user("nobody").remoteRoot(remote.toString())
                        .localSubdir("mirror").rsyncArgs("-a --partial").retentionDays(0))
                .build();
        Profile profile = config.requireProfile("p");
        List<String> warnings = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };

        for (int run = 0; run < 8; run++) {
            SyncReport r = new SyncRun(tmp.resolve("p.lock"), profile, DirectoryRemoteFs.CONNECTOR, new MemoryStore(),
                    WorkerPool.create(WorkerPool.DAEMONS), LakeFixture.options(), listener,
                    false, Optional::empty, Duration.ofMillis(1)).run();
            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        }

        assertEquals(List.of(), warnings);
    }
}
