package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.ObjectStoreSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.testkit.S3ServerExtension;
import io.quantsinfra.lake.testkit.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(S3ServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreTest {

    private static final SourceStamp STAMP = new SourceStamp(6_000_123, Instant.parse("2025-01-30T12:34:56.789Z"));

    private ObjectStore store;
    /** A second client on the same server, to look at what the store did. */
    private S3Client raw;
    /** A key prefix of the test's own, so that the tests of the class share the bucket. */
    private String prefix;

    @BeforeAll
    void connect(S3TestServer server) {
        store = new ObjectStore(client(server), server.bucket(), 2);
        raw = client(server);
    }

    @AfterAll
    void disconnect() {
        store.close();
        raw.close();
    }

    @BeforeEach
    void prefixPerTest(TestInfo test) {
        prefix = test.getTestMethod().orElseThrow().getName() + "/";
    }

    static S3Client client(S3TestServer server) {
        return S3Clients.create(ObjectStoreSettings.pathStyle(server.endpoint(), S3TestServer.REGION),
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)));
    }

    @Test
    void put_metadataRoundTripsThroughHead() {
        byte[] content = bytes(1234, 1);
        String etag = store.put(prefix + "a.parquet", content, STAMP.toUserMetadata());

        ObjectHead head = store.head(prefix + "a.parquet").orElseThrow();
        assertEquals(1234, head.size());
        assertEquals(etag, head.etag());
        assertEquals(Optional.of(STAMP), head.sourceStamp());
        assertArrayEquals(content, read(prefix + "a.parquet"));
    }

    @Test
    void head_missingObject_isEmpty() {
        assertEquals(Optional.empty(), store.head(prefix + "missing.parquet"));
    }

    @Test
    void list_returnsFilesInKeyOrder_acrossPages_withoutDirectoryMarkers() {
        store.put(prefix + "d1/b/x.parquet", bytes(3, 2), Map.of());
        store.put(prefix + "d1/a.parquet", bytes(5, 3), Map.of());
        store.put(prefix + "d2/c.parquet", bytes(7, 4), Map.of());
        store.put(prefix + "d3/", new byte[0], Map.of());

        List<ObjectEntry> entries = store.list(prefix);

        assertEquals(List.of(prefix + "d1/a.parquet", prefix + "d1/b/x.parquet", prefix + "d2/c.parquet"),
                entries.stream().map(ObjectEntry::key).toList());
        assertEquals(List.of(5L, 3L, 7L), entries.stream().map(ObjectEntry::size).toList());
        assertTrue(rawKeys(prefix).contains(prefix + "d1/b/"), "the backend lists directory markers: " + rawKeys(prefix));
    }

    @Test
    void listLevel_returnsTheObjectsAndImmediateSubdirectories_withoutDirectoryMarkers() {
        store.put(prefix + "d1/b/x.parquet", bytes(3, 2), Map.of());
        store.put(prefix + "d1/a.parquet", bytes(5, 3), Map.of());
        store.put(prefix + "d2/c.parquet", bytes(7, 4), Map.of());
        store.put(prefix + "d3/", new byte[0], Map.of());
        store.put(prefix + "top.parquet", bytes(1, 5), Map.of());

        ObjectLevel top = store.listLevel(prefix);
        assertEquals(List.of(prefix + "d1/", prefix + "d2/", prefix + "d3/"), top.directories());
        assertEquals(List.of(prefix + "top.parquet"), top.files().stream().map(ObjectEntry::key).toList());
        ObjectLevel d1 = store.listLevel(prefix + "d1/");
        assertEquals(List.of(prefix + "d1/b/"), d1.directories());
        assertEquals(List.of(prefix + "d1/a.parquet"), d1.files().stream().map(ObjectEntry::key).toList());
    }

    @Test
    void multipart_objectIsInvisibleUntilComplete() {
        String key = prefix + "big.parquet";
        byte[] first = bytes((int) ObjectStore.MIN_PART_SIZE, 6);
        byte[] last = bytes(1000, 7);
        String uploadId = store.createMultipartUpload(key, STAMP.toUserMetadata());
        UploadedPart part2 = store.uploadPart(key, uploadId, 2, last);
        UploadedPart part1 = store.uploadPart(key, uploadId, 1, first);

        assertEquals(List.of(), store.list(prefix));
        assertEquals(Optional.empty(), store.head(key));
        assertEquals(List.of(key + " " + uploadId), uploads(prefix));

        String etag = store.completeMultipartUpload(key, uploadId, List.of(part2, part1));

        List<ObjectEntry> entries = store.list(prefix);
        assertEquals(1, entries.size());
        assertEquals(first.length + last.length, entries.get(0).size());
        assertEquals(etag, entries.get(0).etag());
        assertEquals(Optional.of(STAMP), store.head(key).orElseThrow().sourceStamp());
        assertArrayEquals(concat(first, last), read(key));
        assertEquals(List.of(), uploads(prefix));
    }

    @Test
    void abort_leavesNoObjectAndNoUpload() {
        String key = prefix + "aborted.parquet";
        String uploadId = store.createMultipartUpload(key, Map.of());
        store.uploadPart(key, uploadId, 1, bytes(100, 8));

        store.abortMultipartUpload(key, uploadId);

        assertEquals(List.of(), store.list(prefix));
        assertEquals(List.of(), uploads(prefix));
        assertEquals(Optional.empty(), store.listParts(key, uploadId));
        assertEquals(Optional.empty(), store.head(key));
        store.abortMultipartUpload(key, uploadId);
    }

    @Test
    void listParts_afterAnInterruptedUpload_returnsThePartsToResumeFrom() {
        String key = prefix + "resumed.parquet";
        byte[] part1 = bytes((int) ObjectStore.MIN_PART_SIZE, 9);
        byte[] part2 = bytes((int) ObjectStore.MIN_PART_SIZE, 10);
        byte[] part3 = bytes(4321, 11);
        String uploadId = store.createMultipartUpload(key, STAMP.toUserMetadata());
        List<UploadedPart> sent = List.of(store.uploadPart(key, uploadId, 1, part1),
                store.uploadPart(key, uploadId, 2, part2));

        // a later run knows only the key and upload id it recorded
        List<UploadedPart> listed = store.listParts(key, uploadId).orElseThrow();
        assertEquals(sent, listed);
        assertEquals(List.of(key + " " + uploadId), uploads(prefix));

        List<UploadedPart> all = new ArrayList<>(listed);
        all.add(store.uploadPart(key, uploadId, 3, part3));
        store.completeMultipartUpload(key, uploadId, all);

        assertArrayEquals(concat(concat(part1, part2), part3), read(key));
        assertEquals(Optional.empty(), store.listParts(key, uploadId));
    }

    @Test
    void listMultipartUploads_findsEveryLeftoverUploadUnderThePrefix() {
        List<String> ids = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            ids.add(store.createMultipartUpload(prefix + name, Map.of()));
        }

        String elsewhere = store.createMultipartUpload("elsewhere/" + prefix + "a", Map.of());

        List<MultipartUpload> uploads = store.listMultipartUploads(prefix);

        assertEquals(List.of(prefix + "a", prefix + "b", prefix + "c"),
                uploads.stream().map(MultipartUpload::key).toList());
        assertEquals(ids, uploads.stream().map(MultipartUpload::uploadId).toList());
        uploads.forEach(u -> store.abortMultipartUpload(u.key(), u.uploadId()));
        assertEquals(List.of(), store.listMultipartUploads(prefix));
        store.abortMultipartUpload("elsewhere/" + prefix + "a", elsewhere);
    }

    @Test
    void deleteAll_deletesInBatches_andCountsMissingKeysAsDeleted() {
        List<String> keys = new ArrayList<>(IntStream.range(0, 2001).mapToObj(i -> prefix + "gone-" + i).toList());
        for (String name : List.of("x", "y", "z")) {
            store.put(prefix + name, bytes(10, 12), Map.of());
            keys.add(prefix + name);
        }

        DeleteReport report = store.deleteAll(keys);

        assertTrue(report.complete(), report.failures().toString());
        assertEquals(keys, report.deleted());
        assertEquals(List.of(), store.list(prefix));
    }

    @Test
    void probeConditionalWrites_s3Proxy260IgnoresBothConditions_andLeavesNoProbe() {
        String probe = prefix + ".probe";

        assertEquals(new ObjectStore.ConditionalWrites(false, false), store.probeConditionalWrites(probe));
        assertEquals(Optional.empty(), store.head(probe));
    }

    @Test
    void putIfAbsent_onS3Proxy260_overwrites() {
        // what the probe guards against: S3Proxy checks If-None-Match and If-Match on GET and HEAD only
        String key = prefix + "lock";
        assertTrue(store.putIfAbsent(key, utf8("run 1"), Map.of()).isPresent());
        assertTrue(store.putIfAbsent(key, utf8("run 2"), Map.of()).isPresent());
        assertArrayEquals(utf8("run 2"), read(key));
    }

    /** The unfinished uploads under a prefix, as "key uploadId". */
    private List<String> uploads(String prefix) {
        return store.listMultipartUploads(prefix).stream().map(u -> u.key() + " " + u.uploadId()).toList();
    }

    private List<String> rawKeys(String prefix) {
        return raw.listObjectsV2(r -> r.bucket(store.bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private byte[] read(String key) {
        return raw.getObjectAsBytes(r -> r.bucket(store.bucket()).key(key)).asByteArray();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
