package io.quantsinfra.lake.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.CleanupReport;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.Stats;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncOptions;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.ObjectStoreSettings;
import io.quantsinfra.lake.config.S3Location;
import io.quantsinfra.lake.demo.ParquetPartWriter;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.sftp.SftpConnector;
import io.quantsinfra.lake.testkit.S3ServerExtension;
import io.quantsinfra.lake.testkit.S3TestServer;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Whole syncs from a real SFTP server into a real S3 API (S3Proxy): what lands in the bucket,
 * what a second run skips, resumes, deletions, retention, stats and the uploads left behind.
 */
@ExtendWith(S3ServerExtension.class)
class S3LakeSyncTest {
    private static final LocalDate LAST_DAY = LocalDate.of(2024, 11, 28);
    private static final long BIG = 20L * 1024 * 1024;

    @TempDir
    Path tmp;
    private S3TestServer s3;
    private SftpTestServer sftp;
    private Path remote;
    private S3Location root;
    private S3LakeStores stores;
    private ObjectStore objects;

    @BeforeEach
    void start(S3TestServer s3, TestInfo test) throws IOException {
        this.s3 = s3;
        remote = tmp.resolve("remote");
        Files.createDirectories(remote);
        sftp = SftpTestServer.builder(remote).keyDirectory(tmp.resolve("keys")).start();
        root = new S3Location(s3.bucket(), "lake-" + test.getTestMethod().orElseThrow().getName());
        stores = new S3LakeStores(new ObjectStore(ObjectStoreTest.client(s3), s3.bucket()), root);
        objects = new ObjectStore(ObjectStoreTest.client(s3), s3.bucket());
    }

    @AfterEach
    void stop() throws IOException {
        stores.close();
        objects.close();
        sftp.close();
    }

    private DataLake lake(String rsyncArgs, int retentionDays) {
        DataLakeConfig config = DataLakeConfig.builder(root, ObjectStoreSettings.pathStyle(s3.endpoint(), S3TestServer.REGION))
                .checkpointDir(tmp.resolve("state"))
                .profile("p", p -> p.host(sftp.host()).port(sftp.port()).user(sftp.user())
                        .sshKey(sftp.clientKeyFile()).knownHosts(sftp.knownHostsFile())
                        .remoteRoot("/").localSubdir("mirror").rsyncArgs(rsyncArgs).retentionDays(retentionDays))
                .build();
        return new DataLake(config, new SftpConnector(), stores);
    }

    private static SyncOptions options() {
        return SyncOptions.defaults().withReconnectBackoff(Duration.ofMillis(50))
                .withClock(Clock.fixed(LAST_DAY.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    }

    @Test
    void aSync_putsEveryFileInTheBucket_andASecondRunTransfersNothing() throws IOException {
        SampleLake.builder().days(2).endingOn(LAST_DAY).partsPerDay(3).partSize(1_000, 1_500_000).seed(3)
                .writeTo(remote);
        SampleLake.writeFile(remote.resolve("big.bin"), BIG, 9);
        DataLake lake = lake("-a --partial", 0);

        SyncReport first = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        assertEquals(filesUnder(remote), objectsUnder("mirror"));
        assertEquals(List.of(), objects.listMultipartUploads(root.keyPrefix()), "no upload left behind");
        SyncReport second = lake.sync("p", options(), SyncListener.NONE);
        assertEquals(0, second.filesTransferred(), "size and mtime kept as metadata say it is in sync");
        SampleLake.writeFile(remote.resolve("new.bin"), 10_000, 11);
        SyncReport dry = lake.sync("p", options().withDryRun(true), SyncListener.NONE);
        assertEquals(1, dry.plan().transfers().size(), "a dry run plans the new file");
        assertTrue(objects.list(root.key("mirror/new.bin")).isEmpty(), "and writes nothing");
        assertFalse(new Leases(objects, root).honoured(), "S3Proxy ignores conditional writes: no lease is taken");
        assertTrue(objects.list(root.key(S3Location.TOOL_DIRECTORY + "/")).isEmpty(), "no lease and no probe left in the bucket");
    }

    /** rclone's way: a bucket holds no links, so they are skipped with one warning, in a dry run too. */
    @Test
    void symlinks_areSkippedWithOneWarning_byADryRunAsByTheRun() throws IOException {
        SampleLake.writeFile(remote.resolve("data.bin"), 1_000, 1);
        Files.createSymbolicLink(remote.resolve("latest.bin"), Path.of("data.bin"));
        DataLake lake = lake("-a", 0);
        List<String> dryWarnings = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        SyncReport dry = lake.sync("p", options().withDryRun(true), warningsInto(dryWarnings));
        SyncReport run = lake.sync("p", options(), warningsInto(warnings));

        assertEquals(List.of(), dry.plan().links(), "the dry run plans no link the run would not make");
        assertEquals(1, dryWarnings.size(), dryWarnings.toString());
        assertTrue(dryWarnings.get(0).startsWith("skipped 1 symlink(s), e.g. latest.bin: s3://"), dryWarnings.get(0));
        assertTrue(dryWarnings.get(0).endsWith(" cannot hold links"), dryWarnings.get(0));
        assertEquals(dryWarnings, warnings);
        assertEquals(Checkpoint.Status.SUCCESS, run.status(), run.errors().toString());
        assertEquals(Set.of("data.bin"), objectsUnder("mirror").keySet());
    }

    private static SyncListener warningsInto(List<String> warnings) {
        return new SyncListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
    }

    @Test
    void smallFilesReadTogether_areAllPublished_whenTheyOutgrowTheUploadMemory() throws IOException {
        for (int i = 0; i < 40; i++) { // read in groups of up to 32 files: a group outgrows 1 MiB
            Files.createDirectories(remote.resolve("2026-06-0" + (1 + i % 2)));
            SampleLake.writeFile(remote.resolve("2026-06-0" + (1 + i % 2) + "/part-" + i + ".parquet"), 100_000, i);
        }
        try (S3LakeStores tight = new S3LakeStores(new ObjectStore(ObjectStoreTest.client(s3), s3.bucket()), root,
                1024 * 1024)) {
            DataLake lake = new DataLake(lake("-a --partial", 0).config(), new SftpConnector(), tight);

            SyncReport report = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> lake.sync("p", options(), SyncListener.NONE), "a group never waits on its own memory");

            assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
            assertEquals(filesUnder(remote), objectsUnder("mirror"));
        }
    }

    @Test
    void aLargeFile_isNeverListedUntilItIsWhole() throws Exception {
        SampleLake.writeFile(remote.resolve("big.bin"), BIG, 4);
        String key = root.key("mirror/big.bin");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                // only the key itself: S3Proxy's file system backend lists a temporary KEY-uuid while it completes
                objects.list(key).stream().filter(o -> o.key().equals(key) && o.size() != BIG)
                        .forEach(o -> torn.set(o.key() + " listed with " + o.size() + " bytes"));
            }
        });
        watcher.start();
        SyncReport r = lake("-a --partial", 0).sync("p", options(), SyncListener.NONE);
        done.set(true);
        watcher.join();

        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(null, torn.get());
        assertArrayEquals(Files.readAllBytes(remote.resolve("big.bin")), Files.readAllBytes(s3.objectFile(s3.bucket(), key)));
    }

    @Test
    void aParquetPartStillBeingWritten_isNotCompleted_keepsItsUpload_andIsPublishedOnceWhole() throws IOException {
        Path part = Files.createDirectories(remote.resolve("gate_io_BTC-USDT_20241128")).resolve("part_00001.parquet");
        ParquetPartWriter.Written whole = new ParquetPartWriter().write(part, BIG, 12, LAST_DAY);
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, 12 * 1024 * 1024)); // its writer is half way
        DataLake lake = lake("-a --partial", 0);

        SyncReport first = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        assertEquals("incomplete Parquet: no footer yet", first.heldBack().get(0).reason());
        assertTrue(objects.list(root.key("mirror/gate_io_BTC-USDT_20241128/")).isEmpty(), "never listed half written");
        assertEquals(1, objects.listMultipartUploads(root.keyPrefix()).size(), "its upload waits for the rest");

        Files.write(part, bytes);
        Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        SyncReport second = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(List.of(), second.heldBack());
        assertEquals(1, second.filesResumed());
        assertArrayEquals(bytes, Files.readAllBytes(s3.objectFile(s3.bucket(),
                root.key("mirror/gate_io_BTC-USDT_20241128/part_00001.parquet"))));
        assertEquals(whole.rows(), lake.stats("p", options().clock()).rows(), "rows from the footer read on the way");
        Files.delete(tmp.resolve("state/p.rows"));
        assertEquals(whole.rows(), lake.stats("p", options().clock()).rows(), "and from a ranged GET of the footer");
    }

    @Test
    void aFailedLargeFile_isResumedFromItsUploadedParts() throws IOException {
        SampleLake.writeFile(remote.resolve("big.bin"), BIG, 5);
        sftp.failRead("big.bin", 12L * 1024 * 1024);
        DataLake lake = lake("-a --partial", 0);

        SyncReport first = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.PARTIAL, first.status());
        assertTrue(objects.list(root.key("mirror/big.bin")).isEmpty(), "not published");
        assertEquals(1, objects.listMultipartUploads(root.keyPrefix()).size(), "the upload stays for a resume");
        Checkpoint.Partial partial = lake.checkpoint("p").partials().get(0);
        assertEquals(S3LakeStores.PART_SIZE, partial.bytesHeld(), "the uploaded part is recorded");
        assertEquals(objects.listMultipartUploads(root.keyPrefix()).get(0).uploadId(), partial.stagedId().orElseThrow(),
                "and the upload it belongs to");

        SyncReport second = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(1, second.filesResumed());
        assertEquals(BIG, second.bytesTransferred(), "the rest, and the last part again to check it");
        assertArrayEquals(Files.readAllBytes(remote.resolve("big.bin")),
                Files.readAllBytes(s3.objectFile(s3.bucket(), root.key("mirror/big.bin"))));
        assertEquals(List.of(), objects.listMultipartUploads(root.keyPrefix()));
        assertEquals(List.of(), lake.checkpoint("p").partials());
    }

    @Test
    void aRunStoppedInTheMiddleOfAnUpload_isResumedByTheNext() throws IOException {
        SampleLake.writeFile(remote.resolve("big.bin"), BIG, 7);
        DataLake lake = lake("-a --partial", 0);
        io.quantsinfra.lake.Cancellation stop = new io.quantsinfra.lake.Cancellation();
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
        SyncListener stopAfterTwoParts = new SyncListener() {
            @Override
            public void bytesTransferred(String path, long n) {
                if (seen.addAndGet(n) > 2L * S3LakeStores.PART_SIZE + 1024 * 1024) {
                    stop.cancel(); // as SIGTERM does
                }
            }
        };

        SyncReport first = lake.sync("p", options().withCancellation(stop), stopAfterTwoParts);

        assertEquals(Checkpoint.Status.INTERRUPTED, first.status());
        assertTrue(objects.list(root.key("mirror/big.bin")).isEmpty(), "not published");
        assertEquals(1, objects.listMultipartUploads(root.keyPrefix()).size(), "an interrupted run leaves its upload");
        SyncReport second = lake.sync("p", options(), SyncListener.NONE);
        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(1, second.filesResumed());
        assertTrue(second.bytesTransferred() <= BIG - S3LakeStores.PART_SIZE, "at least one part was kept: "
                + second.bytesTransferred());
        assertArrayEquals(Files.readAllBytes(remote.resolve("big.bin")),
                Files.readAllBytes(s3.objectFile(s3.bucket(), root.key("mirror/big.bin"))));
        assertEquals(List.of(), objects.listMultipartUploads(root.keyPrefix()));
    }

    @Test
    void aRewrittenFile_isNotResumed_butStartedOver() throws IOException {
        SampleLake.writeFile(remote.resolve("big.bin"), BIG, 5);
        sftp.failRead("big.bin", 12L * 1024 * 1024);
        DataLake lake = lake("-a --partial", 0);
        lake.sync("p", options(), SyncListener.NONE);
        SampleLake.writeFile(remote.resolve("big.bin"), BIG, 6); // same size, other bytes, other mtime
        Files.setLastModifiedTime(remote.resolve("big.bin"), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));

        SyncReport second = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, second.status(), second.errors().toString());
        assertEquals(0, second.filesResumed());
        assertArrayEquals(Files.readAllBytes(remote.resolve("big.bin")),
                Files.readAllBytes(s3.objectFile(s3.bucket(), root.key("mirror/big.bin"))));
        assertEquals(List.of(), objects.listMultipartUploads(root.keyPrefix()));
    }

    @Test
    void uploadsLeftBehind_areAbortedByTheNextRun() throws IOException {
        SampleLake.writeFile(remote.resolve("a.bin"), 1000, 1);
        objects.createMultipartUpload(root.key("mirror/gone/old.bin"), Map.of());
        objects.createMultipartUpload(root.key("mirror/a.bin"), Map.of());

        SyncReport r = lake("-a --partial", 0).sync("p", options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(List.of(), objects.listMultipartUploads(root.keyPrefix()));
    }

    @Test
    void delete_removesObjectsGoneFromTheRemote() throws IOException {
        SampleLake.builder().days(1).endingOn(LAST_DAY).partsPerDay(4).partSize(1_000, 2_000).seed(7).writeTo(remote);
        DataLake lake = lake("-a --delete", 0);
        lake.sync("p", options(), SyncListener.NONE);
        String gone;
        try (Stream<Path> files = Files.walk(remote)) {
            gone = remote.relativize(files.filter(Files::isRegularFile).findFirst().orElseThrow()).toString();
        }
        Files.delete(remote.resolve(gone));

        SyncReport r = lake.sync("p", options(), SyncListener.NONE);

        assertEquals(1, r.filesDeleted());
        assertEquals(filesUnder(remote), objectsUnder("mirror"));
    }

    @Test
    void retention_cleanupAndStats_workFromListings() throws IOException {
        SampleLake.builder().days(5).endingOn(LAST_DAY).partsPerDay(2).partSize(1_000).seed(8).writeTo(remote);
        DataLake all = lake("-a", 0);
        all.sync("p", options(), SyncListener.NONE); // the bucket holds five days
        DataLake lake = lake("-a", 3);

        Stats before = lake.stats("p", options().clock());
        assertEquals(10, before.files());
        assertEquals(10_000, before.dataBytes());
        assertEquals(LAST_DAY.minusDays(4), before.earliestDate().orElseThrow());
        assertEquals(LAST_DAY, before.latestDate().orElseThrow());
        assertEquals(2, before.expiredDirectories().size());
        CleanupReport dry = lake.cleanup("p", options().withDryRun(true), SyncListener.NONE);
        assertEquals(2, dry.expired().size());
        assertEquals(10, objectsUnder("mirror").size(), "a dry run deletes nothing");

        CleanupReport done = lake.cleanup("p", options(), SyncListener.NONE);

        assertEquals(4_000, done.bytesFreed());
        assertEquals(6, objectsUnder("mirror").size());
        assertEquals(0, lake.stats("p", options().clock()).expiredDirectories().size());
    }

    @Test
    void wrongCredentials_missingBucket_andADeadEndpoint_stopTheRunWithTheirReason() throws IOException {
        SampleLake.writeFile(remote.resolve("a.bin"), 1000, 1);
        ObjectStoreSettings settings = ObjectStoreSettings.pathStyle(s3.endpoint(), S3TestServer.REGION);
        ObjectStore badKey = new ObjectStore(S3Clients.create(settings, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, "wrong-secret"))), s3.bucket());
        ObjectStore noBucket = new ObjectStore(ObjectStoreTest.client(s3), "no-such-bucket");
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        ObjectStore down = new ObjectStore(S3Clients.create(ObjectStoreSettings.pathStyle(
                java.net.URI.create("http://127.0.0.1:" + closedPort), S3TestServer.REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))), s3.bucket());

        assertStops(badKey, root, "secret key does not match");
        assertStops(noBucket, new S3Location("no-such-bucket", "lake"), "no-such-bucket does not exist");
        assertStops(down, root, "cannot connect to the object store");
    }

    private void assertStops(ObjectStore store, S3Location where, String reason) {
        try (S3LakeStores these = new S3LakeStores(store, where)) {
            DataLakeConfig config = DataLakeConfig.builder(where, ObjectStoreSettings.pathStyle(s3.endpoint(), S3TestServer.REGION))
                    .checkpointDir(tmp.resolve("state"))
                    .profile("p", p -> p.host(sftp.host()).port(sftp.port()).user(sftp.user())
                            .sshKey(sftp.clientKeyFile()).knownHosts(sftp.knownHostsFile())
                            .remoteRoot("/").localSubdir("mirror").retentionDays(0))
                    .build();
            LakeException e = assertThrows(LakeException.class,
                    () -> new DataLake(config, new SftpConnector(), these).sync("p", options(), SyncListener.NONE));
            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            assertFalse(e.hint().orElse("").isBlank(), "a hint says what to fix");
        }
    }

    /** The remote files by relative path, with their bytes' hash. */
    private static Map<String, Integer> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            Map<String, Integer> out = new TreeMap<>();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), java.util.Arrays.hashCode(Files.readAllBytes(f)));
            }
            return out;
        }
    }

    /** The objects under the profile's prefix by relative path, with their bytes' hash. */
    private Map<String, Integer> objectsUnder(String subdir) throws IOException {
        String prefix = root.keyPrefix() + subdir + "/";
        Map<String, Integer> out = new TreeMap<>();
        for (ObjectEntry o : objects.list(prefix)) {
            out.put(o.key().substring(prefix.length()),
                    java.util.Arrays.hashCode(Files.readAllBytes(s3.objectFile(s3.bucket(), o.key()))));
        }
        return out;
    }
}
