package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The {@link RemoteFs} contract holds for {@link DirectoryRemoteFs} too, and a whole sync runs
 * through the seam alone: no server, no network.
 */
class DirectoryRemoteFsTest extends RemoteFsContract {
    private Path served;

    @Override
    protected void startServer(Path dir) throws IOException {
        served = Files.createDirectories(dir.resolve("root")).toAbsolutePath();
    }

    @Override
    protected void stopServer() {
    }

    @Override
    protected Path servedRoot() {
        return served;
    }

    @Override
    protected String remote(String relative) {
        return relative.isEmpty() ? served.toString() : served + "/" + relative;
    }

    @Override
    protected RemoteConnector connector() {
        return DirectoryRemoteFs.CONNECTOR;
    }

    @Override
    protected void connection(DataLakeConfig.ProfileBuilder p) {
        p.host("localhost").user("nobody").remoteRoot(served.toString());
    }

    @Test
    void aWholeSync_runsThroughTheSeam_withoutAServer() throws IOException {
        SampleLake.builder().days(3).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(1_000, 1_500_000)
                .seed(9).writeTo(served.resolve("lake"));
        DataLakeConfig config = DataLakeConfig.builder(tmp.resolve("local"))
                .profile("p", p -> p.host("localhost").user("nobody").remoteRoot(served.resolve("lake").toString())
                        .localSubdir("mirror").rsyncArgs("-a --partial --delete").retentionDays(0))
                .build();
        SyncReport r = new DataLake(config, DirectoryRemoteFs.CONNECTOR).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(LakeFixture.snapshot(served.resolve("lake")), LakeFixture.snapshot(tmp.resolve("local/mirror")));
    }
}
