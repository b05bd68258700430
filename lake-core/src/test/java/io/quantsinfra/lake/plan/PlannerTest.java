package io.quantsinfra.lake.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.EntryType;
import io.quantsinfra.lake.PathError;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan, table-driven in the spirit of rclone's {@code march_test}: each row gives the remote
 * and local listings, the flags and the checkpoint's partials, and expects every action with its
 * reason. No server and no disk: the planner is a pure step.
 *
 * <p>Listing entries are written {@code "path size mtime"} for files, {@code "dir/"} for
 * directories and {@code "link -> target"} for symlinks; a local {@code ".name.lake-part 5"}
 * is a staging file holding 5 bytes. Expected actions are {@code "+ path: reason"} (transfer),
 * {@code "d path"} (directory created), {@code "@ path -> target"} (link), {@code "- path: reason"}
 * (deletion), {@code "= path: reason"} (kept), {@code ". path: reason"} (skip),
 * {@code "x path: message"} (error) and {@code "blocked: reason"}.
 */
class PlannerTest {
    private static final long NOW = 1_700_000_000L;
    private static final long MIB = 1024 * 1024;

    /** One row of the table. */
    private record Row(String name, String rsyncArgs, List<String> remote, List<String> local,
                       List<Checkpoint.Partial> partials, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, String rsyncArgs, List<String> remote, List<String> local, List<String> expected) {
        return new Row(name, rsyncArgs, remote, local, List.of(), expected);
    }

    private static Checkpoint.Partial partial(String path, long size, long mtime, long held) {
        return new Checkpoint.Partial(path, size, mtime, held);
    }

    static Stream<Arguments> table() {
        String big = String.valueOf(2 * MIB);
        return Stream.of(
                row("a new file is transferred", "-a", List.of("a.parquet 10 100"), List.of(),
                        List.of("+ a.parquet: new file")),
                row("an identical file is left alone", "-a", List.of("a.parquet 10 100"), List.of("a.parquet 10 100"),
                        List.of()),
                row("a size change is transferred", "-a", List.of("a.parquet 20 100"), List.of("a.parquet 10 100"),
                        List.of("+ a.parquet: size differs (local 10, remote 20)")),
                row("with -t an mtime change is transferred", "-a", List.of("a.parquet 10 200"), List.of("a.parquet 10 100"),
                        List.of("+ a.parquet: mtime differs (local 1970-01-01T00:01:40Z, remote 1970-01-01T00:03:20Z)")),
                row("without -t the same size is up to date", "-r", List.of("a.parquet 10 200"), List.of("a.parquet 10 100"),
                        List.of()),
                row("a missing remote directory is created", "-a", List.of("d/", "d/a.parquet 10 100"), List.of(),
                        List.of("d d", "+ d/a.parquet: new file")),
                row("transfers are in path order across directories", "-a",
                        List.of("c 10 100", "d/", "d/x 10 100", "d.csv 10 100", "d0 10 100", "e/", "e/y 10 100"), List.of(),
                        List.of("d d", "d e", "+ c: new file", "+ d.csv: new file", "+ d/x: new file", "+ d0: new file",
                                "+ e/y: new file")),
                row("a local directory in the way of a remote file", "-a", List.of("a.parquet 10 100"), List.of("a.parquet/"),
                        List.of("x a.parquet: a local directory is in the way of the remote file; move it aside")),
                row("a local file in the way of a remote directory", "-a", List.of("d/"), List.of("d 10 100"),
                        List.of("x d: a local file is in the way of the remote directory; move it aside")),
                new Row("a partial the checkpoint lists is resumed", "-a --partial", List.of("big " + big + " 100"),
                        List.of(".big.lake-part 5000"), List.of(partial("big", 2 * MIB, 100, 5000)),
                        List.of("+ big: resume at offset 5000 (new file)")),
                new Row("a partial of another version of the file starts anew", "-a --partial", List.of("big " + big + " 200"),
                        List.of(".big.lake-part 5000"), List.of(partial("big", 2 * MIB, 100, 5000)),
                        List.of("+ big: new file")),
                row("a partial the checkpoint never listed is resumed once its tail matches", "-a --partial",
                        List.of("big " + big + " 100"), List.of(".big.lake-part 5000"),
                        List.of("+ big: resume at offset 5000 of a partial file the checkpoint does not list, once its tail"
                                + " matches (new file)")),
                new Row("files read whole are never resumed", "-a --partial", List.of("small 50000 100"),
                        List.of(".small.lake-part 5000"), List.of(partial("small", 50_000, 100, 5000)),
                        List.of("+ small: new file")),
                new Row("without --partial nothing is resumed", "-a", List.of("big " + big + " 100"),
                        List.of(".big.lake-part 5000"), List.of(partial("big", 2 * MIB, 100, 5000)),
                        List.of("+ big: new file")),
                new Row("with --inplace the final file is the partial", "-a --inplace --partial", List.of("big " + big + " 100"),
                        List.of("big 5000 100"), List.of(partial("big", 2 * MIB, 100, 5000)),
                        List.of("+ big: resume at offset 5000 (size differs (local 5000, remote " + big + "))")),
                row("with --inplace an unlisted shorter file is not taken for a partial", "-a --inplace --partial",
                        List.of("big " + big + " 100"), List.of("big 5000 100"),
                        List.of("+ big: size differs (local 5000, remote " + big + ")")),
                row("without --delete local extras stay", "-a", List.of("a.parquet 10 100"),
                        List.of("a.parquet 10 100", "old.parquet 10 100"), List.of()),
                row("with --delete local extras go, files before their directories", "-a --delete",
                        List.of("a.parquet 10 100", "b.parquet 10 100", "c.parquet 10 100"),
                        List.of("a.parquet 10 100", "b.parquet 10 100", "c.parquet 10 100", "old/", "old/x 10 100"),
                        List.of("- old/x: not on the remote", "- old: not on the remote")),
                row("a purged day is kept, with its rule", "-a --delete",
                        List.of("d_20231113/", "d_20231113/a 10 100", "d_20231114/", "d_20231114/a 10 100"),
                        List.of("d_20231112/", "d_20231112/a 10 100", "d_20231113/", "d_20231113/a 10 100", "d_20231114/",
                                "d_20231114/a 10 100"),
                        List.of("= d_20231112: the collector purged it: dated 2023-11-12, not newer than the oldest day the remote"
                                + " still holds (2023-11-13); kept for good (retention_days: 0 keeps data forever)"
                                + " (delete_mode: mirror deletes it)")),
                row("a refused name blocks deletion", "-a --delete", List.of("a/b 10 100", "x.parquet 10 100"),
                        List.of("x.parquet 10 100", "old.parquet 10 100"),
                        List.of("x a/b: refused remote name in /r: name contains a path separator",
                                "- old.parquet: not on the remote",
                                "blocked: 1 error while listing; nothing is deleted after an incomplete listing")),
                row("with -l a link inside the tree is recreated", "-a", List.of("d/", "d/a 10 100", "latest -> d/a"), List.of(),
                        List.of("d d", "+ d/a: new file", "@ latest -> d/a")),
                row("a link leaving the tree is skipped", "-a", List.of("up -> ../etc/passwd"), List.of(),
                        List.of(". up: symlink to \"../etc/passwd\" points outside the profile directory")),
                row("without -l no link is recreated", "-r", List.of("latest -> a"), List.of(),
                        List.of(". latest: symlink skipped (links are never followed; -l recreates safe ones)"))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plans(Row row) {
        Profile profile = DataLakeConfig.builder(Path.of("/lake"))
                .profile("p", p -> p.host("h").user("u").remoteRoot("/r").localSubdir("p").rsyncArgs(row.rsyncArgs())
                        .retentionDays(0))
                .build().requireProfile("p");
        Retention retention = new Retention(0, ZoneOffset.UTC, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        Map<String, Checkpoint.Partial> partials = new HashMap<>();
        row.partials().forEach(p -> partials.put(p.path(), p));

        SyncPlan plan = WholeTrees.plan(new Planner(profile, retention, Instant.ofEpochSecond(NOW)),
                remote(row.remote()), local(row.local()), partials);

        assertEquals(row.expected(), actions(plan), row.name());
    }

    private static List<String> actions(SyncPlan plan) {
        List<String> out = new ArrayList<>();
        plan.errors().forEach(e -> out.add("x " + e.path() + ": " + e.message()));
        plan.directoriesToCreate().forEach(d -> out.add("d " + d));
        plan.transfers().forEach(t -> out.add("+ " + t.path() + ": " + t.reason()));
        plan.links().forEach(l -> out.add("@ " + l.path() + " -> " + l.target()));
        plan.skips().forEach(s -> out.add(". " + s.path() + ": " + s.reason()));
        plan.deletions().forEach(d -> out.add("- " + d.path() + ": " + d.reason()));
        plan.kept().forEach(k -> out.add("= " + k.path() + ": " + k.reason()));
        plan.deletionBlocked().ifPresent(b -> out.add("blocked: " + b));
        return out;
    }

    private static WholeTrees.Remote remote(List<String> lines) {
        TreeMap<String, RemoteEntry> entries = new TreeMap<>();
        List<PathError> errors = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            String path = f[0].replaceAll("/$", "");
            if (path.contains("/") && !entries.containsKey(path.substring(0, path.lastIndexOf('/')))) {
                // as RemoteTree refuses a name holding a separator
                errors.add(new PathError(path, "refused remote name in /r: name contains a path separator"));
            } else if (line.contains(" -> ")) {
                entries.put(path, new RemoteEntry(path, EntryType.SYMLINK, 0, 0, 0777, Optional.of(f[2])));
            } else if (f[0].endsWith("/")) {
                entries.put(path, new RemoteEntry(path, EntryType.DIRECTORY, 0, 100, 0755, Optional.empty()));
            } else {
                entries.put(path, new RemoteEntry(path, EntryType.FILE, Long.parseLong(f[1]), Long.parseLong(f[2]), 0644,
                        Optional.empty()));
            }
        }
        return new WholeTrees.Remote(entries, List.of(), errors, entries.isEmpty() && errors.isEmpty());
    }

    private static WholeTrees.Local local(List<String> lines) {
        TreeMap<String, LocalEntry> entries = new TreeMap<>();
        Map<String, Long> staged = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].endsWith(NameRules.TEMP_SUFFIX)) {
                staged.put(f[0], Long.parseLong(f[1]));
            } else if (f[0].endsWith("/")) {
                String path = f[0].substring(0, f[0].length() - 1);
                entries.put(path, new LocalEntry(path, EntryType.DIRECTORY, 0, 0, Optional.empty()));
            } else {
                entries.put(f[0], new LocalEntry(f[0], EntryType.FILE, Long.parseLong(f[1]), Long.parseLong(f[2]), Optional.empty()));
            }
        }
        return new WholeTrees.Local(entries, staged);
    }
}
