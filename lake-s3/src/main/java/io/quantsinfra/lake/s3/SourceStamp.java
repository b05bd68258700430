package io.quantsinfra.lake.s3;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The size and modification time of the remote file an object was copied from, kept in the
 * object's user metadata ({@code x-amz-meta-source-size}, {@code x-amz-meta-source-mtime}).
 *
 * <p>The lake's quick check compares a remote file with its copy by size and mtime. An object's
 * own {@code LastModified} is the time of its upload and cannot be set, so the source's mtime
 * travels as metadata, written with the object in the same PUT or multipart upload.
 *
 * @param size  the source file's size in bytes
 * @param mtime the source file's modification time
 */
public record SourceStamp(long size, Instant mtime) {

    /** The user metadata name of the size, sent as {@code x-amz-meta-source-size}. */
    public static final String SIZE_KEY = "source-size";

    /** The user metadata name of the mtime (ISO-8601, UTC), sent as {@code x-amz-meta-source-mtime}. */
    public static final String MTIME_KEY = "source-mtime";

    // Checks the values. Throws IllegalArgumentException if the size is negative
    public SourceStamp {
        Objects.requireNonNull(mtime, "mtime");
        if (size < 0) {
            throw new IllegalArgumentException("size (" + size + ") must not be negative");
        }
    }

    /** {@return the user metadata to store with the object} */
    public Map<String, String> toUserMetadata() {
        return Map.of(SIZE_KEY, Long.toString(size), MTIME_KEY, mtime.toString());
    }

    /**
     * Reads a stamp back from an object's user metadata.
     *
     * @param userMetadata the metadata, names without the {@code x-amz-meta-} prefix
     * @return the stamp, or empty if either value is missing or unreadable, e.g. on an object
     *         some other tool wrote
     */
    public static Optional<SourceStamp> fromUserMetadata(Map<String, String> userMetadata) {
        String size = userMetadata.get(SIZE_KEY);
        String mtime = userMetadata.get(MTIME_KEY);
        if (size == null || mtime == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SourceStamp(Long.parseLong(size), Instant.parse(mtime)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
