/**
 * Where the lake's files are kept and how a file is published.
 * {@link io.quantsinfra.lake.store.LakeStore} is the seam: list, stage, publish, delete, by
 * paths relative to a profile's directory. {@link io.quantsinfra.lake.store.LocalStore} is the
 * local directory tree: a file is written to a hidden staging file
 * ({@link io.quantsinfra.lake.store.StagedFile}), sealed, and renamed over its final name;
 * {@code LocalLayout} keeps every path inside the profile directory and away from symlinks.
 */
package io.quantsinfra.lake.store;
