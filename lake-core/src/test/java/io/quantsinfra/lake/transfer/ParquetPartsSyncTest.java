package io.quantsinfra.lake.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.parquet.ParquetFixtures;
import io.quantsinfra.lake.state.RowCache;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet parts a collector is still writing, written by a real writer (DuckDB) and cut where a
 * writer stops between two writes: such a part is held back, never published half written, and
 * published once its footer is there.
 */
@ExtendWith(SftpServerExtension.class)
class ParquetPartsSyncTest {
    private static final long WRITTEN = 1_732_800_000L;
    private static final String DAY = "gate_io_BTC-USDT_20241128";
    /** About 4.8 MB, in 4 row groups: streamed and resumable rather than read whole. */
    private static final String BIG = "SELECT i AS id, random() AS price, hash(i) AS h FROM range(200000) t(i)";

    @TempDir
    Path lake;
    @TempDir
    Path scratch;

    /** A whole Parquet file as DuckDB writes it. */
    private byte[] parquet(String name, String query, String options) throws Exception {
        return ParquetFixtures.bytes(ParquetFixtures.write(scratch.resolve(name), query, options));
    }

    private static Path put(SftpTestServer server, String relative, byte[] bytes, long mtime) throws IOException {
        Path file = server.servedRoot().resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
        return file;
    }

    private Path local(String relative) {
        return lake.resolve("mirror").resolve(relative);
    }

    /** Where a writer stops between writes: named by the test, computed from the whole file. */
    private static int cut(String where, byte[] whole) {
        int footer = ParquetFixtures.footerLength(whole);
        return switch (where) {
            case "header only" -> 4;
            case "mid row group" -> whole.length / 3;
            case "footer half written" -> whole.length - 8 - footer / 2;
            case "footer without its length and magic" -> whole.length - 8;
            case "all but the last byte" -> whole.length - 1;
            default -> throw new IllegalArgumentException(where);
        };
    }

    @ParameterizedTest(name = "cut: {0}")
    @ValueSource(strings = {"header only", "mid row group", "footer half written", "footer without its length and magic",
            "all but the last byte"})
    void aPartCutWhereAWriterStops_isHeldBack_notFailed_andPublishedOnceComplete(String where, SftpTestServer server)
            throws Exception {
        byte[] whole = parquet("t.parquet", ParquetFixtures.TRADES, "");
        put(server, DAY + "/done.parquet", parquet("d.parquet", ParquetFixtures.NO_ROWS, ""), WRITTEN);
        put(server, DAY + "/part.parquet", Arrays.copyOf(whole, cut(where, whole)), WRITTEN);
        DataLake dataLake = new DataLake(LakeFixture.config(server, lake, "-a --partial"));
        List<String> heard = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void fileHeldBack(String path, String reason) {
                heard.add(path + ": " + reason);
            }
        };

        SyncReport first = dataLake.sync("p", LakeFixture.options(), listener);
        assertEquals(Checkpoint.Status.SUCCESS, first.status(), "held back is not an error: " + first.errors());
        assertEquals(1, first.filesTransferred());
        assertTrue(Files.exists(local(DAY + "/done.parquet")));
        assertFalse(Files.exists(local(DAY + "/part.parquet")), "never visible half written");
        assertEquals(List.of(DAY + "/part.parquet"), first.heldBack().stream().map(Checkpoint.HeldBack::path).toList());
        assertTrue(first.heldBack().get(0).reason().startsWith("incomplete Parquet: "), first.heldBack().get(0).reason());
        assertEquals(List.of(DAY + "/part.parquet: " + first.heldBack().get(0).reason()), heard);
        assertEquals(first.heldBack(), dataLake.checkpoint("p").heldBack());

        put(server, DAY + "/part.parquet", whole, WRITTEN + 60);
        SyncReport second = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(1, second.filesTransferred());
        assertEquals(List.of(), second.heldBack());
        assertEquals(List.of(), dataLake.checkpoint("p").heldBack());
        assertArrayEquals(whole, Files.readAllBytes(local(DAY + "/part.parquet")));
        assertEquals(1000, ParquetFixtures.rowsRead(local(DAY + "/part.parquet")));
    }

    @Test
    void aLargePartHeldBack_keepsItsBytes_andResumesThemOnceTheWriterFinishes(SftpTestServer server) throws Exception {
        byte[] whole = parquet("big.parquet", BIG, "COMPRESSION 'uncompressed', ROW_GROUP_SIZE 50000");
        int cut = whole.length * 3 / 5;
        put(server, DAY + "/big.parquet", Arrays.copyOf(whole, cut), WRITTEN);
        DataLakeConfig config = LakeFixture.config(server, lake, "-a --partial");
        DataLake dataLake = new DataLake(config);

        SyncReport first = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        assertEquals("incomplete Parquet: no footer yet", first.heldBack().get(0).reason());
        assertFalse(Files.exists(local(DAY + "/big.parquet")));
        assertEquals(cut, Files.size(local(DAY + "/.big.parquet.lake-part")), "its bytes wait for the next run");
        assertEquals(List.of(new Checkpoint.Partial(DAY + "/big.parquet", cut, WRITTEN, cut)),
                dataLake.checkpoint("p").partials());

        put(server, DAY + "/big.parquet", whole, WRITTEN + 60);
        SyncReport second = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(1, second.filesResumed(), second.plan().transfers().toString());
        assertTrue(second.bytesTransferred() <= whole.length - cut + 64 * 1024 + 4,
                "only the rest, the resume's tail check and the head: " + second.bytesTransferred());
        assertArrayEquals(whole, Files.readAllBytes(local(DAY + "/big.parquet")));
        assertEquals(200_000, ParquetFixtures.rowsRead(local(DAY + "/big.parquet")));
        assertEquals(List.of(), dataLake.checkpoint("p").partials());
    }

    /** A footer longer than the 64 KiB tail a copy keeps: the check reads the rest, read whole or streamed. */
    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {100, 200_000})
    void aPartWithAFooterLongerThanTheTailKept_isStillJudgedRightly(int rows, SftpTestServer server) throws Exception {
        String query = ParquetFixtures.constantColumns(800, rows).replaceFirst("SELECT ", "SELECT random() AS noise, ");
        byte[] whole = parquet("wide.parquet", query, "COMPRESSION 'uncompressed'");
        assertTrue(ParquetFixtures.footerLength(whole) > 64 * 1024, "footer of " + ParquetFixtures.footerLength(whole));
        put(server, DAY + "/wide.parquet", Arrays.copyOf(whole, whole.length - 8 - ParquetFixtures.footerLength(whole) / 2),
                WRITTEN);
        DataLake dataLake = new DataLake(LakeFixture.config(server, lake, "-a --partial"));

        SyncReport first = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(1, first.heldBack().size(), "footer half written: " + first.heldBack());

        put(server, DAY + "/wide.parquet", whole, WRITTEN + 60);
        SyncReport second = dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(List.of(), second.heldBack());
        assertEquals(List.of(), second.errors());
        assertArrayEquals(whole, Files.readAllBytes(local(DAY + "/wide.parquet")));
        assertEquals(rows, dataLake.stats("p", Clock.systemUTC()).rows(), "the rows the long footer states");
    }

    @Test
    void aPartHeldBackUnchangedForADay_isNamedInAWarning_thatCountsFromWhenItWasFirstSeen(SftpTestServer server)
            throws Exception {
        byte[] whole = parquet("t.parquet", ParquetFixtures.TRADES, "");
        put(server, DAY + "/stuck.parquet", Arrays.copyOf(whole, whole.length / 2), WRITTEN);
        DataLake dataLake = new DataLake(LakeFixture.config(server, lake, "-a --partial"));
        Instant t0 = Instant.parse("2024-11-29T00:00:00Z");
        List<String> warnings = new CopyOnWriteArrayList<>();
        SyncListener listener = new SyncListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };

        for (Duration later : List.of(Duration.ZERO, Duration.ofHours(23))) {
            dataLake.sync("p", LakeFixture.options().withClock(Clock.fixed(t0.plus(later), ZoneOffset.UTC)), listener);
        }
        assertEquals(List.of(), warnings, "under a day: nothing to say yet");
        assertEquals(t0, dataLake.checkpoint("p").heldBack().get(0).since());

        SyncReport dayLater = dataLake.sync("p",
                LakeFixture.options().withClock(Clock.fixed(t0.plus(Duration.ofHours(25)), ZoneOffset.UTC)), listener);
        assertEquals(Checkpoint.Status.SUCCESS, dayLater.status());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(DAY + "/stuck.parquet") && warnings.get(0).contains("unchanged since " + t0),
                warnings.get(0));

        put(server, DAY + "/stuck.parquet", Arrays.copyOf(whole, whole.length * 3 / 4), WRITTEN + 60);
        dataLake.sync("p", LakeFixture.options().withClock(Clock.fixed(t0.plus(Duration.ofHours(26)), ZoneOffset.UTC)),
                listener);
        assertEquals(1, warnings.size(), "it grew: its writer is alive");
        assertEquals(t0.plus(Duration.ofHours(26)), dataLake.checkpoint("p").heldBack().get(0).since());
    }

    @Test
    void aPartHeldBack_blocksNeitherDeleteNorTheRestOfTheProfile(SftpTestServer server) throws Exception {
        byte[] whole = parquet("t.parquet", ParquetFixtures.TRADES, "");
        put(server, DAY + "/writing.parquet", Arrays.copyOf(whole, 100), WRITTEN);
        put(server, DAY + "/done.parquet", whole, WRITTEN);
        Files.createDirectories(local(DAY));
        Files.write(local(DAY + "/purged.parquet"), whole);

        SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --partial --delete", p -> p.maxDeletePercent(100)))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors() + " " + r.deletionBlocked());
        assertEquals(1, r.filesDeleted());
        assertFalse(Files.exists(local(DAY + "/purged.parquet")));
        assertTrue(Files.exists(local(DAY + "/done.parquet")));
        assertEquals(1, r.heldBack().size());
    }

    @Test
    void withInplace_aParquetPartIsStillPublishedWhole_otherFilesAreWrittenInPlace(SftpTestServer server)
            throws Exception {
        byte[] whole = parquet("t.parquet", ParquetFixtures.TRADES, "");
        put(server, DAY + "/part.parquet", Arrays.copyOf(whole, whole.length / 2), WRITTEN);
        put(server, DAY + "/notes.csv", "a,b\n".getBytes(), WRITTEN);

        SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --partial --inplace"))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(1, r.heldBack().size());
        assertFalse(Files.exists(local(DAY + "/part.parquet")), "--inplace does not make a half part visible");
        assertTrue(Files.exists(local(DAY + "/notes.csv")));
    }

    @Test
    void withNoPatterns_nothingIsChecked_andAPartIsCopiedAsItIs(SftpTestServer server) throws Exception {
        byte[] whole = parquet("t.parquet", ParquetFixtures.TRADES, "");
        byte[] half = Arrays.copyOf(whole, whole.length / 2);
        put(server, DAY + "/part.parquet", half, WRITTEN);

        SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --partial", p -> p.parquetPatterns()))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(List.of(), r.heldBack());
        assertArrayEquals(half, Files.readAllBytes(local(DAY + "/part.parquet")));
    }

    @Test
    void filesNamedLikePartsButNoParquet_andEncryptedParts_arePublishedAsTheyAre(SftpTestServer server) throws Exception {
        put(server, DAY + "/random.parquet", "not parquet at all".getBytes(), WRITTEN);
        put(server, DAY + "/encrypted.parquet", "PARE-some-encrypted-footer-PARE".getBytes(), WRITTEN);

        SyncReport r = new DataLake(LakeFixture.config(server, lake, "-a --partial"))
                .sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(2, r.filesTransferred(), "a writer does not finish them: holding them back would hide them forever");
        assertEquals(List.of(), r.heldBack());
    }

    @Test
    void rows_areRecordedAsPartsArePublished_andStatsCountThemPerDay_readingEachFooterOnce(SftpTestServer server)
            throws Exception {
        put(server, DAY + "/a.parquet", parquet("a.parquet", ParquetFixtures.TRADES, ""), WRITTEN);
        put(server, "gate_io_BTC-USDT_20241129/b.parquet", parquet("b.parquet", ParquetFixtures.TEN_THOUSAND, ""), WRITTEN);
        put(server, "gate_io_BTC-USDT_20241129/readme.txt", "hello".getBytes(), WRITTEN);
        Path metrics = lake.resolve("metrics.prom");
        DataLakeConfig config = DataLakeConfig.builder(lake).metricsFile(metrics)
                .profile("p", p -> p.host(server.host()).port(server.port()).user(server.user())
                        .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile())
                        .remoteRoot("/").localSubdir("mirror").rsyncArgs("-a --partial").retentionDays(0))
                .build();
        DataLake dataLake = new DataLake(config);

        dataLake.sync("p", LakeFixture.options(), SyncListener.NONE);
        Path cache = RowCache.fileFor(config.requireProfile("p").checkpointFile());
        assertTrue(Files.exists(cache), "the sync recorded the rows it read on the way");
        assertEquals(11_000, dataLake.checkpoint("p").localLake().rows());
        assertTrue(Files.readString(metrics).contains("data_lake_local_rows{profile=\"p\"} 11000"),
                Files.readString(metrics));

        Stats stats = dataLake.stats("p", Clock.systemUTC());
        assertEquals(11_000, stats.rows());
        assertEquals(Map.of(LocalDate.of(2024, 11, 28), 1_000L, LocalDate.of(2024, 11, 29), 10_000L), stats.rowsByDate());
        assertEquals(0, stats.partsUnread());

        // the cache names a row count no footer states: stats believes it while size and mtime hold
        RowCache planted = RowCache.load(cache);
        Path a = local(DAY + "/a.parquet");
        planted.put(DAY + "/a.parquet", Files.size(a), Files.getLastModifiedTime(a).toInstant().getEpochSecond(), 1234);
        planted.save();
        assertEquals(11_234, dataLake.stats("p", Clock.systemUTC()).rows(), "read from the cache, not the footer");
        Files.delete(cache);
        assertEquals(11_000, dataLake.stats("p", Clock.systemUTC()).rows(), "footers read again");
        assertTrue(Files.exists(cache), "and cached again");
    }
}
