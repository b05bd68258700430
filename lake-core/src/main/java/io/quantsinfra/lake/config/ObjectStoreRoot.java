package io.quantsinfra.lake.config;

import java.util.Objects;

/**
 * A lake kept in an object store: where, and how to reach it. It is the resolved form of
 * {@code root_dir: s3://bucket/prefix} with the {@code object_store:} section.
 *
 * @param location the bucket and key prefix the lake's root is
 * @param settings the endpoint, region and addressing style of the store
 */
public record ObjectStoreRoot(S3Location location, ObjectStoreSettings settings) {

    /** Checks that both parts are there. */
    public ObjectStoreRoot {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(settings, "settings");
    }
}
