package io.quantsinfra.lake.store;

import io.quantsinfra.lake.config.Profile;

/**
 * Opens a profile's part of the lake for one run. {@link LocalStore#LocalStore(Profile)} is the
 * default; an embedder or a test passes another to write the lake elsewhere.
 */
@FunctionalInterface
public interface LakeStoreFactory {
    /** The store that holds {@code profile}'s files. */
    LakeStore open(Profile profile);
}
