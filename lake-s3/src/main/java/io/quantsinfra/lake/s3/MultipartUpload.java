package io.quantsinfra.lake.s3;

import java.time.Instant;
import java.util.Objects;

/**
 * A multipart upload that was started and neither completed nor aborted. Its parts are stored
 * (and billed) but its object does not exist until it is completed.
 *
 * @param key       the key the object will have
 * @param uploadId  the store's id of the upload
 * @param initiated when the upload was started
 */
public record MultipartUpload(String key, String uploadId, Instant initiated) {

    public MultipartUpload {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(initiated, "initiated");
    }
}
