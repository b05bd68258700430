package io.quantsinfra.lake.s3;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The writes of {@link ObjectStore} that a lease needs: create only if absent, replace only if
 * unchanged, read the metadata, delete. An interface so that the lease can be tested against a
 * store that honours the conditions, which S3Proxy does not.
 */
interface ConditionalObjects {
    /** See {@link ObjectStore#putIfAbsent}. */
    Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> userMetadata);

    /** See {@link ObjectStore#replaceIfMatch}. */
    Optional<String> replaceIfMatch(String key, String expectedEtag, byte[] content, Map<String, String> userMetadata);

    /** See {@link ObjectStore#head}. */
    Optional<ObjectHead> head(String key);

    /** See {@link ObjectStore#deleteAll}. */
    DeleteReport deleteAll(Collection<String> keys);
}
