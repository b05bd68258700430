package io.quantsinfra.lake.s3;

import java.util.Objects;

/**
 * A part of a multipart upload that the store has received.
 *
 * @param partNumber the part's number, from 1 to 10,000, in the order of the object's bytes
 * @param etag       the part's entity tag, quotes included, which completing the upload names
 * @param size       the part's size in bytes
 */
public record UploadedPart(int partNumber, String etag, long size) {

    // Checks the values. Throws IllegalArgumentException if the part number is outside 1 to 10,000
    public UploadedPart {
        Objects.requireNonNull(etag, "etag");
        if (partNumber < 1 || partNumber > ObjectStore.MAX_PARTS) {
            throw new IllegalArgumentException("partNumber (" + partNumber + ") must be 1 to " + ObjectStore.MAX_PARTS);
        }
    }
}
