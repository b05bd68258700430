package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Cancellation;
import io.quantsinfra.lake.DirectoryRemoteFs;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.config.RsyncArgs;
import io.quantsinfra.lake.config.RsyncOptions;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.plan.RemoteEntry;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote listing, without a server: a directory as the remote. */
class RemoteTreeTest {
    private static final LocalDate TODAY = LocalDate.of(2024, 11, 28);
    private static final String DAY = SampleLake.directoryName("gate_io", "BTC-USDT", TODAY);
    private static final String OLD = SampleLake.directoryName("gate_io", "BTC-USDT", TODAY.minusDays(10));

    @TempDir
    Path remote;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final RemoteSession session = new RemoteSession(DirectoryRemoteFs::new, 0, Duration.ZERO,
            SyncListener.NONE, new Cancellation());
    private final List<String> warnings = new ArrayList<>();

    @AfterEach
    void close() {
        session.close();
        pool.shutdownNow();
    }

    @Test
    void listsEveryLevel_withLinksRead_excludedNamesLeftOut_andExpiredDaysNotDescended() throws IOException {
        file(DAY + "/part_00001.parquet", 100);
        file(DAY + "/part_00002.parquet.tmp", 5);
        file(DAY + "/sub/deep.parquet", 7);
        Files.createSymbolicLink(remote.resolve(DAY + "/latest"), Path.of("part_00001.parquet"));
        file(OLD + "/part_00001.parquet", 3);

        Walked l = list(tree("-a --exclude=*.tmp", 3));

        assertEquals(Set.of(DAY, DAY + "/part_00001.parquet", DAY + "/sub", DAY + "/sub/deep.parquet", DAY + "/latest"),
                l.entries().keySet());
        assertEquals(EntryType.SYMLINK, l.entries().get(DAY + "/latest").type());
        assertEquals(Optional.of("part_00001.parquet"), l.entries().get(DAY + "/latest").linkTarget());
        assertEquals(100, l.entries().get(DAY + "/part_00001.parquet").size());
        assertEquals(List.of(OLD), l.expired());
        assertTrue(l.errors().isEmpty(), l.errors().toString());
        assertFalse(l.rootEmpty());
    }

    @Test
    void withoutRecursion_onlyTheTopLevelIsListed() throws IOException {
        file(DAY + "/part_00001.parquet", 1);
        file("top.parquet", 2);

        Walked l = list(tree("-lt", 3));

        assertEquals(Set.of("top.parquet"), l.entries().keySet());
    }

    @Test
    void aMissingRoot_failsTheListing_whileAnEmptyRootIsSaidToBeEmpty() throws IOException {
        assertTrue(list(tree("-a", 3)).rootEmpty());

        Files.delete(remote);

        assertThrows(IOException.class, () -> list(tree("-a", 3)));
    }

    /** Every directory's listing of one walk, gathered. */
    private record Walked(Map<String, RemoteEntry> entries, List<String> expired, List<PathError> errors, boolean rootEmpty) {
    }

    private static Walked list(RemoteTree tree) throws IOException {
        Map<String, RemoteEntry> entries = new TreeMap<>();
        List<String> expired = new ArrayList<>();
        List<PathError> errors = new ArrayList<>();
        boolean[] rootEmpty = {false};
        tree.walk(l -> {
            l.entries().forEach(e -> entries.put(e.path(), e));
            expired.addAll(l.expired());
            errors.addAll(l.errors());
            if (l.directory().isEmpty()) {
                rootEmpty[0] = l.itemCount() == 0;
            }
        });
        return new Walked(entries, expired, errors, rootEmpty[0]);
    }

    private RemoteTree tree(String rsyncArgs, int retentionDays) {
        RsyncOptions rsync = RsyncArgs.parse(rsyncArgs);
        Retention retention = new Retention(retentionDays, ZoneOffset.UTC,
                Clock.fixed(Instant.parse("2024-11-28T12:00:00Z"), ZoneOffset.UTC));
        return new RemoteTree(session, remote.toString(), rsync.filter(), rsync.recursive(), rsync.symlinks(), retention,
                pool, warnings::add);
    }

    private void file(String relative, int size) throws IOException {
        Path p = remote.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[size]);
    }
}
