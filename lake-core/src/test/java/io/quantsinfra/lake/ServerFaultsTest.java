package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The server answers with errors (not a broken link): a listing or a read fails part-way. */
@Tag("reliability")
@ExtendWith(SftpServerExtension.class)
class ServerFaultsTest {
    @TempDir
    Path lake;

    private Path local(String rel) {
        return lake.resolve("mirror").resolve(rel);
    }

    private static void remote(SftpTestServer server, String rel, long size, long seed) throws Exception {
        Path p = server.servedRoot().resolve(rel);
        Files.createDirectories(p.getParent());
        SampleLake.writeFile(p, size, seed);
    }

    @Test
    void aListingErrorPartWay_deletesNothing_andTheRestArrives(SftpTestServer server) throws Exception {
        remote(server, "a_20241101/part_00001.parquet", 1000, 1);
        remote(server, "b_20241101/part_00001.parquet", 1000, 2);
        Files.createDirectories(local("gone"));
        Files.writeString(local("gone/old.parquet"), "stale but precious until the listing is complete");
        server.failListing("b_20241101");

        DataLakeConfig config = LakeFixture.config(server, lake, "-a --delete");
        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(List.of("b_20241101"), r.errors().stream().map(PathError::path).toList());
        assertTrue(r.errors().get(0).message().startsWith("cannot list /b_20241101"), r.errors().get(0).message());
        assertEquals(0, r.filesDeleted());
        assertTrue(r.deletionBlocked().orElseThrow().contains("while listing"), r.deletionBlocked().toString());
        assertTrue(Files.exists(local("gone/old.parquet")));
        assertTrue(Files.exists(local("a_20241101/part_00001.parquet")));
    }

    @Test
    void smallFilesReadWholeInGroups_aDeniedOrUnreadableOneFailsAlone_theRestOfItsGroupArrives(SftpTestServer server)
            throws Exception {
        for (int i = 0; i < 40; i++) {
            remote(server, String.format("d/f%02d.parquet", i), 2000 + i, i);
        }
        server.denyPath("/d/f07.parquet");
        server.failRead("f21.parquet", 0);
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial");

        SyncReport r = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(List.of("d/f07.parquet", "d/f21.parquet"), r.errors().stream().map(PathError::path).sorted().toList());
        assertEquals(38, r.filesTransferred());
        Map<String, String> expected = new TreeMap<>(LakeFixture.snapshot(server.servedRoot()));
        expected.remove("d/f07.parquet");
        expected.remove("d/f21.parquet");
        assertEquals(expected, LakeFixture.snapshot(lake.resolve("mirror")), "the rest arrived whole; nothing else is left");
    }

    @Test
    void aReadErrorPartWay_failsThatFileAlone_nothingTornIsPublished_andTheNextRunCompletes(SftpTestServer server)
            throws Exception {
        remote(server, "d/big.parquet", 2_000_000, 1);
        remote(server, "d/small.parquet", 1000, 2);
        server.failRead("big.parquet", 500_000);
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial");

        SyncReport first = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.PARTIAL, first.status());
        assertEquals(List.of("d/big.parquet"), first.errors().stream().map(PathError::path).toList());
        assertFalse(Files.exists(local("d/big.parquet")), "never published torn");
        assertTrue(Files.exists(local("d/small.parquet")));
        assertEquals(0, first.reconnects(), "an error answer is not a broken link");

        SyncReport second = new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }

    @Test
    void aServerReportingMoreThanItSends_neverPublishesTheShortFile(SftpTestServer server) throws Exception {
        remote(server, "d/liar.parquet", 1000, 1);
        remote(server, "d/honest.parquet", 1000, 2);
        server.misreportSize("liar.parquet", 5000);
        SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --partial")).sync("p", LakeFixture.options(),
                SyncListener.NONE);
        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertEquals(List.of("d/liar.parquet"), r.errors().stream().map(PathError::path).toList());
        assertTrue(r.errors().get(0).message().contains("shrank while it was copied"), r.errors().get(0).message());
        assertFalse(Files.exists(local("d/liar.parquet")));
        assertTrue(Files.exists(local("d/honest.parquet")));
    }

    @Test
    void aServerReportingLessThanItSends_neverPublishesATruncatedFile(SftpTestServer server) throws Exception {
        remote(server, "d/liar.parquet", 1000, 1);
        server.misreportSize("liar.parquet", 600);
        SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --partial")).sync("p", LakeFixture.options(),
                SyncListener.NONE);
        assertEquals(Checkpoint.Status.PARTIAL, r.status());
        assertTrue(r.errors().get(0).message().contains("holds more than the 600 bytes it was listed with"),
                r.errors().get(0).message());
        assertFalse(Files.exists(local("d/liar.parquet")), "a truncated copy would look complete to a quick check");
    }

    @Test
    void aStalledChannel_failsTheRequestInBoundedTime_andTheRunRecoversByReconnecting(SftpTestServer server)
            throws Exception {
        remote(server, "d/slow.parquet", 300_000, 1);
        remote(server, "d/other.parquet", 1000, 2);
        server.stallRead("slow.parquet", java.time.Duration.ofSeconds(5));
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial --timeout=1", p -> p.reconnectAttempts(2));
        SyncReport r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertTrue(r.reconnects() >= 1, "the stalled request timed out and the link was re-established");
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(lake.resolve("mirror")));
    }
}
