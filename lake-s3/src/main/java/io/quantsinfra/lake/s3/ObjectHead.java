package io.quantsinfra.lake.s3;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An object's system and user metadata, as a HEAD request returns them.
 *
 * @param key          the full object key
 * @param size         the object's size in bytes
 * @param etag         the entity tag exactly as the store sent it, quotes included
 * @param lastModified when the object was written
 * @param userMetadata the {@code x-amz-meta-*} headers, by name without the prefix, lower case
 */
public record ObjectHead(String key, long size, String etag, Instant lastModified, Map<String, String> userMetadata) {

    public ObjectHead {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        userMetadata = Map.copyOf(userMetadata);
    }

    /** {@return the size and mtime of the file the object was copied from, if the object carries them} */
    public Optional<SourceStamp> sourceStamp() {
        return SourceStamp.fromUserMetadata(userMetadata);
    }
}
