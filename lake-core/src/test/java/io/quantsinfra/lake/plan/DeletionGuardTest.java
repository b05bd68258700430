package io.quantsinfra.lake.plan;

import static io.quantsinfra.lake.plan.DeletionPlannerTest.local;
import static io.quantsinfra.lake.plan.DeletionPlannerTest.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.DeleteMode;
import io.quantsinfra.lake.config.Profile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The delete guard against the ways a real remote looks empty or reset (a fresh disk holding
 * only {@code lost+found}, only today's empty directory, one new file), and an ordinary day on
 * which it must not fire, in both delete modes.
 */
class DeletionGuardTest {
    private static final Retention RETENTION = new Retention(30, ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2024-11-28T12:00:00Z"), ZoneOffset.UTC));
    /** The lake: ten days, 2024-11-19 to 2024-11-28, three parts a day. */
    private static final List<String> LAKE = days(19, 28);

    private static List<String> days(int from, int to) {
        List<String> paths = new ArrayList<>();
        for (int d = from; d <= to; d++) {
            paths.add("x_202411" + d + "/");
            for (int part = 1; part <= 3; part++) {
                paths.add("x_202411" + d + "/part_0000" + part + ".parquet");
            }
        }
        return paths;
    }

    private static Profile profile(Consumer<DataLakeConfig.ProfileBuilder> settings) {
        return DataLakeConfig.builder(Path.of("/data/lake"))
                .profile("p", p -> {
                    p.host("collector").user("u").remoteRoot("/var/data").localSubdir("p").rsyncArgs("-a --delete");
                    settings.accept(p);
                })
                .build().requireProfile("p");
    }

    private static Optional<String> guard(DeleteMode mode, List<String> remotePaths, Consumer<DataLakeConfig.ProfileBuilder> settings) {
        Profile profile = profile(p -> {
            p.deleteMode(mode);
            settings.accept(p);
        });
        WholeTrees.Remote remote = remote(remotePaths, List.of());
        DeletionPlanner.Deletions planned = WholeTrees.deletions(new DeletionPlanner(mode, RETENTION), remote, local(LAKE));
        long remoteFiles = remote.entries().values().stream().filter(e -> e.type() == EntryType.FILE).count();
        return new DeletionGuard(profile).refusal(remote.rootEmpty(), List.of(), remoteFiles, planned);
    }

    private static Optional<String> guard(DeleteMode mode, List<String> remotePaths) {
        return guard(mode, remotePaths, p -> { });
    }

    @Test
    void anOrdinaryDay_passes_inBothModes() {
        // the collector purged its oldest day, started a new one and dropped one bad part
        List<String> remote = new ArrayList<>(days(20, 28));
        remote.remove("x_20241124/part_00002.parquet");
        remote.addAll(List.of("x_20241129/", "x_20241129/part_00001.parquet"));
        assertEquals(Optional.empty(), guard(DeleteMode.RETENTION, remote));
        assertEquals(Optional.empty(), guard(DeleteMode.MIRROR, remote));
    }

    @Test
    void aFreshDiskWithOnlyLostAndFound_deletesNothing() {
        assertEquals(Optional.empty(), guard(DeleteMode.RETENTION, List.of("lost+found/")), "nothing is planned: every day is kept");
        String why = guard(DeleteMode.MIRROR, List.of("lost+found/")).orElseThrow();
        assertTrue(why.startsWith("the remote root /var/data holds no files (only empty directories) while 30 local"
                + " files would be deleted; refusing"), why);
    }

    @Test
    void onlyTodaysEmptyDirectory_deletesNothing() {
        for (DeleteMode mode : DeleteMode.values()) {
            String why = guard(mode, List.of("x_20241128/")).orElseThrow();
            assertTrue(why.contains("holds no files (only empty directories)"), mode + ": " + why);
        }
    }

    @Test
    void oneNewFile_deletesNothing() {
        List<String> remote = List.of("x_20241128/", "x_20241128/part_00001.parquet");
        String retention = guard(DeleteMode.RETENTION, remote).orElseThrow();
        assertEquals("--delete would remove 2 of the 3 local files it covers (67 %), more than max_delete_percent 50;"
                + " nothing is deleted (the remote may have lost its data). If the remote really dropped them, raise"
                + " max_delete_percent (100 allows any share) for one run", retention);
        String mirror = guard(DeleteMode.MIRROR, remote).orElseThrow();
        assertTrue(mirror.startsWith("--delete would remove 29 of the 30 local files it covers (97 %)"), mirror);
    }

    @Test
    void theProfileMayAllowIt() {
        List<String> remote = List.of("x_20241128/", "x_20241128/part_00001.parquet");
        assertEquals(Optional.empty(), guard(DeleteMode.MIRROR, remote, p -> p.maxDeletePercent(100)));
        assertEquals(Optional.empty(), guard(DeleteMode.MIRROR, List.of("lost+found/"), p -> p.allowEmptyRemote(true)),
                "an empty remote the profile allows may take everything");
        assertTrue(guard(DeleteMode.MIRROR, List.of("x_20241128/"), p -> p.maxDeletePercent(100)).isPresent(),
                "a remote without files still needs allow_empty_remote");
    }

    @Test
    void theSeedsPurgeInMirrorMode_isCaughtByTheShare() {
        String why = guard(DeleteMode.MIRROR, days(26, 28)).orElseThrow();
        assertTrue(why.startsWith("--delete would remove 21 of the 30 local files it covers (70 %)"), why);
        assertEquals(Optional.empty(), guard(DeleteMode.RETENTION, days(26, 28)));
    }

    @Test
    void anIncompleteListing_comesFirst() {
        Profile profile = profile(p -> { });
        WholeTrees.Remote remote = remote(List.of(), List.of());
        DeletionPlanner.Deletions planned = WholeTrees.deletions(new DeletionPlanner(DeleteMode.MIRROR, RETENTION), remote, local(LAKE));
        assertEquals(Optional.of("1 error while listing; nothing is deleted after an incomplete listing"),
                new DeletionGuard(profile).refusal(remote.rootEmpty(), List.of(new PathError("d", "cannot list")), 0, planned));
    }

    @Test
    void afterTheTransfers_anInterruptedRunOrAFailedFile_deletesNothing() {
        assertEquals(Optional.empty(), DeletionGuard.afterTransfers(false, 0));
        assertEquals(Optional.of("the run was interrupted; nothing is deleted"), DeletionGuard.afterTransfers(true, 0));
        assertEquals(Optional.of("1 file failed; nothing is deleted after errors"), DeletionGuard.afterTransfers(false, 1));
        assertEquals(Optional.of("3 files failed; nothing is deleted after errors"), DeletionGuard.afterTransfers(false, 3));
    }
}
