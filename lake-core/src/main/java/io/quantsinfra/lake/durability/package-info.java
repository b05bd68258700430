/**
 * Durability: nothing is published before its bytes are on the disk. Small received files are
 * made durable in batches behind one Linux {@code syncfs} ({@link io.quantsinfra.lake.durability.BatchSync},
 * {@link io.quantsinfra.lake.durability.FileSystemSync}), and small state files are replaced
 * atomically and durably ({@link io.quantsinfra.lake.durability.AtomicFile}). The C library
 * calls the lake makes itself, here and in the local store, are bound in one place
 * ({@link io.quantsinfra.lake.durability.Libc}).
 */
package io.quantsinfra.lake.durability;
