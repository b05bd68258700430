package io.quantsinfra.lake.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.DeleteMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which local entries {@code --delete} removes or keeps, from listings alone (no server, no disk). */
class DeletionPlannerTest {
    /** 2024-11-28, as in the seed; retention 30 days keeps 2024-10-29 on. */
    private static final Retention THIRTY_DAYS = new Retention(30, ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2024-11-28T12:00:00Z"), ZoneOffset.UTC));

    /** A tree: "dir/" entries are directories, the rest files. */
    private static TreeMap<String, EntryType> tree(String... paths) {
        TreeMap<String, EntryType> t = new TreeMap<>();
        for (String p : paths) {
            t.put(p.endsWith("/") ? p.substring(0, p.length() - 1) : p, p.endsWith("/") ? EntryType.DIRECTORY : EntryType.FILE);
        }
        return t;
    }

    /** Ten days of one symbol, 2024-11-19 to 2024-11-28, three parts a day. */
    private static List<String> days(int from, int to) {
        List<String> paths = new ArrayList<>();
        for (int d = from; d <= to; d++) {
            String dir = "gate_io_BTC-USDT_202411" + d;
            paths.add(dir + "/");
            for (int part = 1; part <= 3; part++) {
                paths.add(dir + "/part_0000" + part + ".parquet");
            }
        }
        return paths;
    }

    static WholeTrees.Remote remote(List<String> paths, List<String> expired) {
        TreeMap<String, RemoteEntry> entries = new TreeMap<>();
        tree(paths.toArray(String[]::new)).forEach((p, type) -> entries.put(p, new RemoteEntry(p, type, 10, 0, 0644, Optional.empty())));
        return new WholeTrees.Remote(entries, expired, List.of(), entries.isEmpty());
    }

    static WholeTrees.Local local(List<String> paths) {
        TreeMap<String, LocalEntry> entries = new TreeMap<>();
        tree(paths.toArray(String[]::new)).forEach((p, type) -> entries.put(p, new LocalEntry(p, type, 10, 0, Optional.empty())));
        return new WholeTrees.Local(entries, new HashMap<>());
    }

    private static DeletionPlanner.Deletions plan(DeleteMode mode, List<String> remote, List<String> local) {
        return WholeTrees.deletions(new DeletionPlanner(mode, THIRTY_DAYS), remote(remote, List.of()), local(local));
    }

    private static List<String> deleted(DeletionPlanner.Deletions d) {
        return d.deletions().stream().map(SyncPlan.Deletion::path).collect(Collectors.toList());
    }

    private static List<String> kept(DeletionPlanner.Deletions d) {
        return d.kept().stream().map(SyncPlan.Kept::path).collect(Collectors.toList());
    }

    @Test
    void theCollectorsPurgeOfItsOldestDays_isKept_untilRetentionExpiresThem() {
        DeletionPlanner.Deletions d = plan(DeleteMode.RETENTION, days(26, 28), days(19, 28));
        assertEquals(List.of(), deleted(d));
        assertEquals(List.of("gate_io_BTC-USDT_20241119", "gate_io_BTC-USDT_20241120", "gate_io_BTC-USDT_20241121",
                "gate_io_BTC-USDT_20241122", "gate_io_BTC-USDT_20241123", "gate_io_BTC-USDT_20241124",
                "gate_io_BTC-USDT_20241125"), kept(d));
        assertEquals("the collector purged it: dated 2024-11-19, not newer than the oldest day the remote still holds"
                + " (2024-11-26); kept until retention expires it on 2024-12-20 (delete_mode: mirror deletes it)",
                d.kept().get(0).reason());
        assertEquals(9, d.filesConsidered(), "only the days the remote still covers count for the delete guard");
    }

    @Test
    void mirrorMode_deletesWhatTheRemoteNoLongerHas() {
        DeletionPlanner.Deletions d = plan(DeleteMode.MIRROR, days(26, 28), days(19, 28));
        assertEquals(28, d.deletions().size(), "7 directories and their 21 files");
        assertEquals(21, d.files());
        assertEquals(30, d.filesConsidered());
        assertEquals(List.of(), kept(d));
        assertEquals("gate_io_BTC-USDT_20241125/part_00003.parquet", deleted(d).get(0), "files before their directories");
    }

    @Test
    void insideTheWindowTheRemoteCovers_deletionsAreMirrored() {
        List<String> remote = new ArrayList<>(days(22, 28));
        remote.removeAll(List.of("gate_io_BTC-USDT_20241124/", "gate_io_BTC-USDT_20241124/part_00001.parquet",
                "gate_io_BTC-USDT_20241124/part_00002.parquet", "gate_io_BTC-USDT_20241124/part_00003.parquet"));
        remote.remove("gate_io_BTC-USDT_20241126/part_00002.parquet");
        DeletionPlanner.Deletions d = plan(DeleteMode.RETENTION, remote, days(22, 28));
        assertEquals(List.of("gate_io_BTC-USDT_20241126/part_00002.parquet", "gate_io_BTC-USDT_20241124/part_00003.parquet",
                "gate_io_BTC-USDT_20241124/part_00002.parquet", "gate_io_BTC-USDT_20241124/part_00001.parquet",
                "gate_io_BTC-USDT_20241124"), deleted(d));
        assertEquals("not on the remote, which still holds older days (from 2024-11-22)",
                d.deletions().get(4).reason());
        assertEquals(List.of(), kept(d));
    }

    @Test
    void aDayAsOldAsTheRemotesOldest_butOfAnotherName_isKept() {
        DeletionPlanner.Deletions d = plan(DeleteMode.RETENTION, List.of("a_20241120/", "a_20241120/p.parquet"),
                List.of("a_20241120/", "a_20241120/p.parquet", "b_20241120/", "b_20241120/p.parquet"));
        assertEquals(List.of("b_20241120"), kept(d));
        assertEquals(List.of(), deleted(d));
    }

    @Test
    void undatedNames_keepRsyncsMeaning() {
        DeletionPlanner.Deletions d = plan(DeleteMode.RETENTION, days(27, 28),
                concat(days(20, 28), List.of("reference/", "reference/symbols.csv", "README.txt", "notes_2024/")));
        assertEquals(List.of("reference/symbols.csv", "reference", "notes_2024", "README.txt"), deleted(d));
        assertEquals(7, kept(d).size());
    }

    @Test
    void aRemoteWithNoDatedDirectory_likeAFreshDiskWithLostAndFound_keepsEveryDay() {
        DeletionPlanner.Deletions d = plan(DeleteMode.RETENTION, List.of("lost+found/"), days(19, 28));
        assertEquals(List.of(), deleted(d));
        assertEquals(10, kept(d).size());
        assertTrue(d.kept().get(0).reason().contains("the remote holds no dated directory"), d.kept().get(0).reason());
        assertEquals(0, d.filesConsidered());
    }

    @Test
    void remoteDaysPastTheLakesRetention_stillCountAsWhatTheRemoteHolds() {
        // the remote keeps 60 days, the lake 30: a missing day inside both windows was removed on purpose
        DeletionPlanner.Deletions d = WholeTrees.deletions(new DeletionPlanner(DeleteMode.RETENTION, THIRTY_DAYS),
                remote(days(26, 28), List.of("gate_io_BTC-USDT_20241001")), local(days(25, 28)));
        assertEquals(List.of("gate_io_BTC-USDT_20241125/part_00003.parquet", "gate_io_BTC-USDT_20241125/part_00002.parquet",
                "gate_io_BTC-USDT_20241125/part_00001.parquet", "gate_io_BTC-USDT_20241125"), deleted(d));
        assertEquals(List.of(), kept(d));
    }

    @Test
    void withRetentionZero_aPurgedDayIsKeptForGood() {
        Retention forever = new Retention(0, ZoneOffset.UTC, Clock.systemUTC());
        DeletionPlanner.Deletions d = WholeTrees.deletions(new DeletionPlanner(DeleteMode.RETENTION, forever),
                remote(days(28, 28), List.of()), local(days(27, 28)));
        assertTrue(d.kept().get(0).reason().endsWith("kept for good (retention_days: 0 keeps data forever)"
                + " (delete_mode: mirror deletes it)"), d.kept().get(0).reason());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
