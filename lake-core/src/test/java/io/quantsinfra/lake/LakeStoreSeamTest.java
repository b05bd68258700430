package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole sync into a lake that is not a local directory: the run writes only through
 * {@link LakeStore}, so an in-memory store receives every file, and nothing lands on the disk.
 */
class LakeStoreSeamTest {
    @TempDir
    Path tmp;

    @Test
    void aSync_writesOnlyThroughTheStore_andTheNextRunFindsItInSync() throws IOException {
        Path remote = tmp.resolve("remote");
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(1_000, 1_500_000)
                .seed(5).writeTo(remote);
        MemoryStore store = new MemoryStore();
        DataLake lake = new DataLake(config(remote), DirectoryRemoteFs.CONNECTOR, profile -> store);

        SyncReport first = lake.sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        Map<String, byte[]> expected = filesUnder(remote);
        assertEquals(expected.keySet(), store.files().keySet());
        expected.forEach((path, bytes) -> assertArrayEquals(bytes, store.files().get(path).bytes(), path));
        assertEquals(Map.of(), store.staged(), "nothing left staged");
        assertFalse(Files.exists(tmp.resolve("local/mirror")), "nothing written to the local profile directory");

        SyncReport second = lake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(0, second.filesTransferred(), "the store's listing says it is in sync");
    }

    @Test
    void aFileGoneFromTheRemote_isDeletedFromTheStore() throws IOException {
        Path remote = tmp.resolve("remote");
        SampleLake.builder().days(1).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(1_000, 2_000)
                .seed(6).writeTo(remote);
        MemoryStore store = new MemoryStore();
        DataLake lake = new DataLake(config(remote), DirectoryRemoteFs.CONNECTOR, profile -> store);
        lake.sync("p", LakeFixture.options(), SyncListener.NONE);
        String gone = filesUnder(remote).keySet().iterator().next();
        Files.delete(remote.resolve(gone));

        SyncReport r = lake.sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(1, r.filesDeleted());
        assertEquals(filesUnder(remote).keySet(), store.files().keySet());
    }

    private DataLakeConfig config(Path remote) {
        return DataLakeConfig.builder(tmp.resolve("local"))
                .profile("p", p -> p.host("localhost").user("nobody").remoteRoot(remote.toString())
                        .localSubdir("mirror").rsyncArgs("-a --partial --delete").retentionDays(0))
                .build();
    }

    private static Map<String, byte[]> filesUnder(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
