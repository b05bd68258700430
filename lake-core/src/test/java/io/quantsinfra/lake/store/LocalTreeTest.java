package io.quantsinfra.lake.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.plan.LocalEntry;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One directory of the lake at a time: sorted, filtered, staged bytes apart, never behind a link. */
class LocalTreeTest {
    private static final Retention THIRTY_DAYS = new Retention(30, ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2024-11-28T12:00:00Z"), ZoneOffset.UTC));

    @TempDir
    Path tmp;

    private LocalListing list(String rsyncArgs, String relative) throws IOException {
        Profile profile = DataLakeConfig.builder(tmp)
                .profile("p", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("p").rsyncArgs(rsyncArgs))
                .build().requireProfile("p");
        return LocalTree.list(new LocalLayout(profile), relative, profile.rsync().filter(), THIRTY_DAYS);
    }

    private void file(String relative, int size) throws IOException {
        Path p = tmp.resolve("p").resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[size]);
    }

    private static List<String> paths(LocalListing l) {
        return l.entries().stream().map(LocalEntry::path).toList();
    }

    @Test
    void aDirectory_isListedSorted_withoutItsSubtree_stagedBytesApart_andExcludedNamesLeftOut() throws IOException {
        file("d_20241128/b.parquet", 2);
        file("d_20241128/a.parquet", 1);
        file("d_20241128/a.parquet.tmp", 1);
        file("d_20241128/sub/deep.parquet", 3);
        file("d_20241128/.c.parquet.lake-part", 5);
        file("d_20241128/.partial/e.parquet", 7);

        LocalListing l = list("-a --partial-dir=.partial --exclude=*.tmp", "d_20241128");

        assertEquals(List.of("d_20241128/a.parquet", "d_20241128/b.parquet", "d_20241128/sub"), paths(l));
        assertEquals(Map.of("d_20241128/.c.parquet.lake-part", 5L, "d_20241128/.partial/e.parquet", 7L), l.partialBytes());
    }

    @Test
    void expiredDays_areLeftToCleanup() throws IOException {
        file("d_20241128/a", 1);
        file("d_20241001/a", 1);

        assertEquals(List.of("d_20241128"), paths(list("-a", "")));
    }

    @Test
    void aDirectoryBehindALink_orMissing_holdsNothing() throws IOException {
        file("real/a", 1);
        Files.createSymbolicLink(tmp.resolve("p/link"), tmp.resolve("p/real"));
        Path outside = Files.createDirectories(tmp.resolve("outside/sub"));
        Files.write(outside.resolve("secret"), new byte[1]);
        Files.createSymbolicLink(tmp.resolve("p/out"), tmp.resolve("outside"));

        assertEquals(List.of(), paths(list("-a", "link")));
        assertEquals(List.of(), paths(list("-a", "out/sub")));
        assertEquals(List.of(), paths(list("-a", "missing")));
        assertEquals(List.of("real/a"), paths(list("-a", "real")));
    }

    @Test
    void eachFile_walksRealDirectoriesOnly_stagingAndPartialsLeftOut() throws IOException {
        file("d_20241128/a.parquet", 1);
        file("d_20241128/sub/deep.parquet", 3);
        file("d_20241128/.c.parquet.lake-part", 5);
        file("d_20241128/.partial/e.parquet", 7);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("secret"), new byte[1]);
        Files.createSymbolicLink(tmp.resolve("p/d_20241128/out"), outside);
        Files.createSymbolicLink(tmp.resolve("p/d_20241128/a-link"), tmp.resolve("p/d_20241128/a.parquet"));
        Profile profile = DataLakeConfig.builder(tmp)
                .profile("p", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("p").rsyncArgs("-a --partial-dir=.partial"))
                .build().requireProfile("p");
        Map<String, Long> seen = new java.util.TreeMap<>();

        LocalTree.eachFile(new LocalLayout(profile), "", f -> seen.put(f.path(), f.size()));

        assertEquals(Map.of("d_20241128/a.parquet", 1L, "d_20241128/sub/deep.parquet", 3L), seen);
    }
}
