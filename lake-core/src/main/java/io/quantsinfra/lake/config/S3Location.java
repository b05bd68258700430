package io.quantsinfra.lake.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a lake lives in an object store: a bucket and a key prefix, written {@code s3://bucket/prefix}.
 *
 * <p>The prefix is kept without leading or trailing slash, and empty for the whole bucket, so
 * {@code s3://quant-lake/raw} and {@code s3://quant-lake/raw/} are the same location. Keys of the
 * lake's objects are the prefix, a slash, and the file's path relative to the lake root: see
 * {@link #key(String)} and {@link #relativize(String)}.
 *
 * @param bucket the bucket name, valid by S3's rules for general purpose buckets
 * @param prefix the key prefix, without leading or trailing slash; empty for the whole bucket
 */
public record S3Location(String bucket, String prefix) {

    /** The URI scheme of a location, with its slashes. */
    public static final String SCHEME = "s3://";

    /**
     * The directory below a lake's root where the tool keeps objects of its own (each profile's
     * lease, the probe of conditional writes); no profile's {@code local_subdir} may use it.
     */
    public static final String TOOL_DIRECTORY = ".lake";

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    // Checks the parts; parse is the usual way in. Throws IllegalArgumentException if the bucket
    // name breaks S3's rules or the prefix has an empty, . or .. segment or a leading or trailing slash
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        checkBucket(bucket);
        if (!prefix.isEmpty()) {
            checkPrefix(prefix);
        }
    }

    /**
     * Parses {@code s3://bucket}, {@code s3://bucket/} or {@code s3://bucket/some/prefix[/]}.
     *
     * @param uri the location as written in the configuration
     * @return the location
     * @throws IllegalArgumentException with a message that quotes {@code uri} and says what is wrong
     */
    public static S3Location parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException(
                    "an object store location starts with s3://, as in s3://bucket/prefix: '" + uri + "'");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in '" + uri + "': write s3://bucket/prefix");
        }
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        try {
            return new S3Location(bucket, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + uri + "'", e);
        }
    }

    private static void checkBucket(String bucket) {
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket name '" + bucket + "' is not valid: 3 to 63 characters,"
                    + " lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit");
        }
        if (bucket.contains("..")) {
            throw new IllegalArgumentException("bucket name '" + bucket + "' has two adjacent dots");
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket name '" + bucket + "' looks like an IP address");
        }
    }

    private static void checkPrefix(String prefix) {
        if (prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' has a leading or trailing slash");
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("prefix '" + prefix + "' has an empty, '.' or '..' segment");
            }
        }
    }

    /** {@return the prefix every key of the lake starts with: {@code prefix + "/"}, or empty for a whole bucket} */
    public String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /**
     * Returns the key of a file of the lake.
     *
     * @param relativePath the file's path relative to the lake root, {@code /}-separated, e.g.
     *                     {@code gate_io_BTC-USDT_20250130/part_00001.parquet}
     * @return {@link #keyPrefix()} followed by {@code relativePath}
     * @throws IllegalArgumentException if {@code relativePath} is empty or starts with a slash
     */
    public String key(String relativePath) {
        Objects.requireNonNull(relativePath, "relativePath");
        if (relativePath.isEmpty() || relativePath.startsWith("/")) {
            throw new IllegalArgumentException("not a relative path: '" + relativePath + "'");
        }
        return keyPrefix() + relativePath;
    }

    /**
     * Returns a key's path relative to the lake root, the inverse of {@link #key(String)}.
     *
     * @param key a key that starts with {@link #keyPrefix()}
     * @return the rest of the key
     * @throws IllegalArgumentException if the key lies outside this location
     */
    public String relativize(String key) {
        String keyPrefix = keyPrefix();
        if (!key.startsWith(keyPrefix) || key.length() == keyPrefix.length()) {
            throw new IllegalArgumentException("key '" + key + "' is not below " + this);
        }
        return key.substring(keyPrefix.length());
    }

    /** {@return {@code s3://bucket/prefix}, or {@code s3://bucket} for a whole bucket} */
    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
