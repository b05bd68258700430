package io.quantsinfra.lake.s3;

import java.time.Instant;
import java.util.Objects;

/**
 * An object as a listing shows it.
 *
 * @param key          the full object key
 * @param size         the object's size in bytes
 * @param etag         the entity tag exactly as the store sent it, quotes included; a
 *                     multipart object's is not an MD5 of its bytes
 * @param lastModified when the object was written (uploaded), not the source file's mtime: see
 *                     {@link SourceStamp}
 */
public record ObjectEntry(String key, long size, String etag, Instant lastModified) {

    public ObjectEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
