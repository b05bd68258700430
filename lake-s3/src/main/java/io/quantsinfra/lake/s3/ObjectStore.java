package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.S3Location;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The operations on one bucket that a lake needs, over an {@link S3Client}: list, head, put,
 * multipart upload, batch delete and conditional put. Keys are full object keys; an
 * {@link S3Location} makes them from a lake's relative paths.
 *
 * <p>Every method throws {@link LakeException} of kind {@link LakeException.Kind#CONNECTION} when
 * the store cannot be reached or refuses the request, with a message that says why (bucket
 * missing, access denied, bad credentials, endpoint down, clock skew) and the SDK's exception as
 * the cause. Outcomes that are answers, not failures, are values: a missing object is an empty
 * {@code Optional}, a lost conditional put is an empty {@code Optional}, a key the store would not
 * delete is a {@link DeleteReport.Failure}.
 *
 * <p>Safe for concurrent use, as {@code S3Client} is. Closing it closes the client.
 */
public final class ObjectStore implements ConditionalObjects, AutoCloseable {

    /** The smallest size S3 accepts for a part other than the last: 5 MiB. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** The most parts one multipart upload may have. */
    public static final int MAX_PARTS = 10_000;

    /** The most keys one DeleteObjects request may name. */
    public static final int MAX_KEYS_PER_DELETE = 1000;

    private final S3Client client;
    private final String bucket;
    private final String endpoint;
    private final int listPageSize;

    /**
     * Wraps a client, which this store owns from now on.
     *
     * @param client the client, e.g. from {@link S3Clients}
     * @param bucket the bucket every operation works on
     */
    public ObjectStore(S3Client client, String bucket) {
        this(client, bucket, 1000);
    }

    /** Like the public constructor, with smaller list pages for tests of paging. */
    ObjectStore(S3Client client, String bucket, int listPageSize) {
        this.client = Objects.requireNonNull(client, "client");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.listPageSize = listPageSize;
        this.endpoint = client.serviceClientConfiguration().endpointOverride()
                .map(Object::toString)
                .orElse("AWS S3 in " + client.serviceClientConfiguration().region());
    }

    /** {@return the bucket every operation works on} */
    public String bucket() {
        return bucket;
    }

    /**
     * Lists every object whose key starts with {@code prefix}, page by page, in the store's key
     * order (UTF-8 binary on S3). Keys that end with {@code /} are left out: they are directory
     * markers that consoles and some stores create, not files.
     *
     * @param prefix the key prefix, e.g. {@code raw/}; empty for the whole bucket
     * @return the objects, in key order
     */
    public List<ObjectEntry> list(String prefix) {
        List<ObjectEntry> entries = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(
                    r -> r.bucket(bucket).prefix(prefix).maxKeys(listPageSize)).contents()) {
                if (!object.key().endsWith("/")) {
                    entries.add(entry(object));
                }
            }
        } catch (SdkException e) {
            throw failed(e, "list", uri(prefix));
        }
        return entries;
    }

    /**
     * Lists one level below {@code prefix}, as a directory: the objects right in it and the
     * "subdirectories" (prefixes up to the next {@code /}), with delimiter {@code /}. Directory
     * markers are left out, as in {@link #list}.
     *
     * @param prefix the key prefix, ending with {@code /} (or empty for the top of the bucket)
     * @return the level, each list in key order
     */
    public ObjectLevel listLevel(String prefix) {
        List<ObjectEntry> files = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(
                    r -> r.bucket(bucket).prefix(prefix).delimiter("/").maxKeys(listPageSize))) {
                page.contents().stream().filter(o -> !o.key().endsWith("/"))
                        .forEach(o -> files.add(entry(o)));
                page.commonPrefixes().forEach(c -> directories.add(c.prefix()));
            }
        } catch (SdkException e) {
            throw failed(e, "list", uri(prefix));
        }
        return new ObjectLevel(files, directories);
    }

    /**
     * Whether any object's key starts with {@code prefix}, with one request.
     *
     * @param prefix the key prefix
     * @return true if at least one object (directory markers aside) is there
     */
    public boolean anyUnder(String prefix) {
        try {
            return client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(2)).contents().stream()
                    .anyMatch(o -> !o.key().endsWith("/"));
        } catch (SdkException e) {
            throw failed(e, "list", uri(prefix));
        }
    }

    /**
     * Checks that the bucket exists and these credentials may use it, so that a run fails before
     * its first transfer with the reason: bucket missing, access denied, bad credentials,
     * endpoint down or clock skew.
     *
     * @param prefix the key prefix the caller works under: a store such as S3Proxy's file system
     *               backend walks everything below the prefix it is asked about, so not the whole bucket
     */
    public void requireBucket(String prefix) {
        try {
            // a listing, not HEAD: its error answers carry a code (NoSuchBucket, SignatureDoesNotMatch…)
            client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1));
        } catch (SdkException e) {
            throw failed(e, "use", S3Location.SCHEME + bucket);
        }
    }

    /**
     * Reads an object's metadata.
     *
     * @param key the object key
     * @return the metadata, or empty if there is no such object (or, as HEAD cannot tell them
     *         apart, no such bucket)
     */
    public Optional<ObjectHead> head(String key) {
        try {
            HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(new ObjectHead(key, head.contentLength(), head.eTag(), head.lastModified(),
                    head.metadata()));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failed(e, "read metadata of", uri(key));
        } catch (SdkException e) {
            throw failed(e, "read metadata of", uri(key));
        }
    }

    /**
     * Reads {@code length} bytes of an object from {@code position} with one ranged GET.
     *
     * @throws EOFException when the object ends first (it was replaced by a shorter one)
     */
    public ByteBuffer read(String key, long position, int length) throws EOFException {
        byte[] bytes;
        try {
            bytes = client.getObjectAsBytes(r -> r.bucket(bucket).key(key)
                    .range("bytes=" + position + "-" + (position + length - 1))).asByteArrayUnsafe();
        } catch (SdkException e) {
            throw failed(e, "read", uri(key));
        }
        if (bytes.length < length) {
            throw new EOFException(uri(key) + " ends before byte " + (position + length));
        }
        return ByteBuffer.wrap(bytes, 0, length);
    }

    /**
     * Writes a small object in one PUT: it appears whole or not at all, replacing any object of
     * that key.
     *
     * @param key          the object key
     * @param content      the bytes, which the store may read more than once (retries)
     * @param userMetadata {@code x-amz-meta-*} values by lower-case name, e.g. a
     *                     {@link SourceStamp#toUserMetadata()}
     * @return the new object's entity tag
     */
    public String put(String key, byte[] content, Map<String, String> userMetadata) {
        return put(key, content, userMetadata, "write", r -> { }).orElseThrow();
    }

    /**
     * Writes a small object only if no object of that key exists ({@code If-None-Match: *}), e.g.
     * to take a lock.
     *
     * @param key          the object key
     * @param content      the bytes
     * @param userMetadata {@code x-amz-meta-*} values by lower-case name
     * @return the new object's entity tag, or empty if an object of that key exists
     */
    public Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> userMetadata) {
        return put(key, content, userMetadata, "create", r -> r.ifNoneMatch("*"));
    }

    /**
     * Replaces an object only if it is still the version the caller read ({@code If-Match}), e.g.
     * to update a checkpoint or renew a lease without overwriting another writer's change.
     *
     * @param key          the object key
     * @param expectedEtag the entity tag the caller last saw, as returned by this class
     * @param content      the new bytes
     * @param userMetadata {@code x-amz-meta-*} values by lower-case name
     * @return the new object's entity tag, or empty if the object changed or no longer exists
     */
    public Optional<String> replaceIfMatch(String key, String expectedEtag, byte[] content,
            Map<String, String> userMetadata) {
        Objects.requireNonNull(expectedEtag, "expectedEtag");
        return put(key, content, userMetadata, "replace", r -> r.ifMatch(expectedEtag));
    }

    private Optional<String> put(String key, byte[] content, Map<String, String> userMetadata, String action,
            Consumer<PutObjectRequest.Builder> condition) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).metadata(userMetadata);
        condition.accept(request);
        try {
            return Optional.of(client.putObject(request.build(), body(content)).eTag());
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 && "ConditionalRequestConflict".equals(code(e))) {
                return Optional.empty();
            }
            throw failed(e, action, uri(key));
        } catch (SdkException e) {
            throw failed(e, action, uri(key));
        }
    }

    /**
     * Finds out whether the store honours conditional writes, by trying them on a probe object
     * that it deletes afterwards. Some stores ignore {@code If-None-Match} and {@code If-Match} on
     * PUT and overwrite: S3Proxy 2.6.0 does, and AWS S3 did before August and November 2024. A
     * lock or checkpoint that relies on them must probe first.
     *
     * @param probeKey a key no one else uses, e.g. below the lake's prefix with a random suffix
     * @return which of the two conditions the store enforced
     */
    public ConditionalWrites probeConditionalWrites(String probeKey) {
        byte[] probe = new byte[0];
        try {
            if (putIfAbsent(probeKey, probe, Map.of()).isEmpty()) {
                throw new IllegalArgumentException("probe key " + uri(probeKey) + " is in use");
            }
            boolean createOnly = putIfAbsent(probeKey, probe, Map.of()).isEmpty();
            boolean replaceIfMatch = replaceIfMatch(probeKey, "\"0\"", probe, Map.of()).isEmpty();
            return new ConditionalWrites(createOnly, replaceIfMatch);
        } finally {
            deleteAll(List.of(probeKey));
        }
    }

    /**
     * Which conditional writes a store enforces.
     *
     * @param createOnly     whether {@link #putIfAbsent} refuses to overwrite
     * @param replaceIfMatch whether {@link #replaceIfMatch} refuses a stale entity tag
     */
    public record ConditionalWrites(boolean createOnly, boolean replaceIfMatch) {
    }

    /**
     * Starts a multipart upload. Its object stays invisible until
     * {@link #completeMultipartUpload}; until then the upload is listed by
     * {@link #listMultipartUploads}.
     *
     * @param key          the key the object will have
     * @param userMetadata {@code x-amz-meta-*} values the object will carry
     * @return the upload id, which the caller records to resume or abort the upload
     */
    public String createMultipartUpload(String key, Map<String, String> userMetadata) {
        try {
            return client.createMultipartUpload(r -> r.bucket(bucket).key(key).metadata(userMetadata)).uploadId();
        } catch (SdkException e) {
            throw failed(e, "start an upload of", uri(key));
        }
    }

    /**
     * Uploads one part. Parts may be uploaded in any order and concurrently; uploading a part
     * number again replaces that part.
     *
     * @param key        the upload's key
     * @param uploadId   the upload's id
     * @param partNumber 1 to {@link #MAX_PARTS}, in the order of the object's bytes
     * @param content    the part's bytes: at least {@link #MIN_PART_SIZE} unless it is the last part
     * @return the part, to pass to {@link #completeMultipartUpload}
     */
    public UploadedPart uploadPart(String key, String uploadId, int partNumber, byte[] content) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw new IllegalArgumentException("partNumber (" + partNumber + ") must be 1 to " + MAX_PARTS);
        }
        try {
            String etag = client.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                    .contentLength((long) content.length), body(content)).eTag();
            return new UploadedPart(partNumber, etag, content.length);
        } catch (SdkException e) {
            throw failed(e, "upload part " + partNumber + " of", uri(key));
        }
    }

    /**
     * Lists the parts the store holds for an upload, page by page: how a resumed run learns where
     * an interrupted upload got to.
     *
     * @param key      the upload's key
     * @param uploadId the upload's id
     * @return the parts in part-number order, or empty if the upload no longer exists (completed
     *         or aborted), in which case the caller starts over
     */
    public Optional<List<UploadedPart>> listParts(String key, String uploadId) {
        List<UploadedPart> parts = new ArrayList<>();
        try {
            client.listPartsPaginator(r -> r.bucket(bucket).key(key).uploadId(uploadId).maxParts(listPageSize))
                    .parts()
                    .forEach(p -> parts.add(new UploadedPart(p.partNumber(), p.eTag(), p.size())));
        } catch (AwsServiceException e) {
            if ("NoSuchUpload".equals(code(e))) {
                return Optional.empty();
            }
            throw failed(e, "list the uploaded parts of", uri(key));
        } catch (SdkException e) {
            throw failed(e, "list the uploaded parts of", uri(key));
        }
        if (parts.isEmpty() && !exists(key, uploadId)) {
            return Optional.empty(); // stores such as S3Proxy list no parts instead of NoSuchUpload
        }
        parts.sort(Comparator.comparingInt(UploadedPart::partNumber));
        return Optional.of(parts);
    }

    private boolean exists(String key, String uploadId) {
        return listMultipartUploads(key).stream().anyMatch(u -> u.key().equals(key) && u.uploadId().equals(uploadId));
    }

    /**
     * Completes an upload: the object appears under its key, whole, made of these parts in
     * part-number order.
     *
     * @param key      the upload's key
     * @param uploadId the upload's id
     * @param parts    every part of the object, in any order
     * @return the object's entity tag
     */
    public String completeMultipartUpload(String key, String uploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .sorted(Comparator.comparingInt(UploadedPart::partNumber))
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build())
                .toList();
        try {
            return client.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())).eTag();
        } catch (SdkException e) {
            throw failed(e, "complete the upload of", uri(key));
        }
    }

    /**
     * Aborts an upload and frees its parts. Aborting an upload that no longer exists does nothing.
     *
     * @param key      the upload's key
     * @param uploadId the upload's id
     */
    public void abortMultipartUpload(String key, String uploadId) {
        try {
            client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (AwsServiceException e) {
            if (!"NoSuchUpload".equals(code(e))) {
                throw failed(e, "abort the upload of", uri(key));
            }
        } catch (SdkException e) {
            throw failed(e, "abort the upload of", uri(key));
        }
    }

    /**
     * Lists the uploads started under {@code prefix} and neither completed nor aborted, page by
     * page: what an interrupted run left behind. It leaves the page size to the store: S3Proxy
     * refuses {@code max-uploads}. Do not trust {@link MultipartUpload#initiated()} everywhere:
     * S3Proxy reports the time of the listing.
     *
     * @param prefix the key prefix, e.g. a lake's {@link S3Location#keyPrefix()}
     * @return the uploads, in key order, then by initiation time
     */
    public List<MultipartUpload> listMultipartUploads(String prefix) {
        List<MultipartUpload> uploads = new ArrayList<>();
        try {
            client.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()
                    .forEach(u -> uploads.add(new MultipartUpload(u.key(), u.uploadId(), u.initiated())));
        } catch (SdkException e) {
            throw failed(e, "list the unfinished uploads of", uri(prefix));
        }
        uploads.sort(Comparator.comparing(MultipartUpload::key).thenComparing(MultipartUpload::initiated));
        return uploads;
    }

    /**
     * Deletes objects, up to {@link #MAX_KEYS_PER_DELETE} per request. A key that does not exist
     * counts as deleted. A key the store refuses is reported, not thrown, and the other keys are
     * still deleted.
     *
     * @param keys the keys to delete
     * @return the keys deleted and those the store refused
     */
    public DeleteReport deleteAll(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        List<String> deleted = new ArrayList<>();
        List<DeleteReport.Failure> failures = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_KEYS_PER_DELETE) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + MAX_KEYS_PER_DELETE));
            List<ObjectIdentifier> ids = batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsResponse response;
            try {
                response = client.deleteObjects(r -> r.bucket(bucket)
                        .delete(Delete.builder().objects(ids).quiet(true).build()));
            } catch (SdkException e) {
                throw failed(e, "delete " + batch.size() + " objects in", uri(batch.get(0)));
            }
            Set<String> refused = new HashSet<>();
            for (S3Error error : response.errors()) {
                refused.add(error.key());
                failures.add(new DeleteReport.Failure(error.key(), String.valueOf(error.code()),
                        String.valueOf(error.message())));
            }
            batch.stream().filter(k -> !refused.contains(k)).forEach(deleted::add);
        }
        return new DeleteReport(deleted, failures);
    }

    /** Closes the client. */
    @Override
    public void close() {
        client.close();
    }

    /** An object as listed; S3Proxy lists one being completed without its entity tag. */
    private static ObjectEntry entry(S3Object o) {
        return new ObjectEntry(o.key(), o.size(), o.eTag() == null ? "" : o.eTag(), o.lastModified());
    }

    /** A body the SDK can read again on retry, without copying the array. */
    private static RequestBody body(byte[] content) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content), content.length,
                "application/octet-stream");
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    }

    private String uri(String key) {
        return S3Location.SCHEME + bucket + "/" + key;
    }

    private LakeException failed(SdkException e, String action, String subject) {
        return ObjectStoreErrors.toLakeException(e, action, bucket, subject, endpoint);
    }
}
