package io.quantsinfra.lake.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an object store: the {@code object_store:} section of a lake's configuration.
 * Credentials are not here: the object store module takes them from the AWS SDK's default chain.
 *
 * @param endpoint  the store's URL, e.g. {@code https://minio.internal:9000}; empty for AWS S3,
 *                  whose endpoint follows from the region
 * @param region    the region to sign requests for, e.g. {@code eu-central-1}; stores other than
 *                  AWS mostly accept any, often {@code us-east-1}
 * @param pathStyle whether the bucket goes in the path ({@code https://host/bucket/key}) rather
 *                  than the host name ({@code https://bucket.host/key}); most stores other than
 *                  AWS need it
 */
public record ObjectStoreSettings(Optional<URI> endpoint, String region, boolean pathStyle) {

    // Checks the values. Throws IllegalArgumentException if the region is blank or the endpoint is
    // not an absolute http or https URL with a host
    public ObjectStoreSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        endpoint.ifPresent(ObjectStoreSettings::checkEndpoint);
    }

    /**
     * Settings for AWS S3 itself: no endpoint, virtual-hosted addressing.
     *
     * @param region the bucket's region
     * @return the settings
     */
    public static ObjectStoreSettings aws(String region) {
        return new ObjectStoreSettings(Optional.empty(), region, false);
    }

    /**
     * Settings for an S3-compatible store at its own endpoint, with path-style addressing.
     *
     * @param endpoint the store's URL
     * @param region   the region to sign requests for
     * @return the settings
     */
    public static ObjectStoreSettings pathStyle(URI endpoint, String region) {
        return new ObjectStoreSettings(Optional.of(endpoint), region, true);
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
            throw new IllegalArgumentException(
                    "endpoint must be an http or https URL with a host, e.g. https://minio.internal:9000: '"
                            + endpoint + "'");
        }
    }
}
