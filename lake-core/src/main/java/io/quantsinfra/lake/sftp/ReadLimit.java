package io.quantsinfra.lake.sftp;

/**
 * What a server is known to answer to READs: the size files start with, and whether it answered
 * a READ of that size in full, after which a shorter reply can only mean that the file ended.
 *
 * @param size           the READ size to ask for
 * @param answeredInFull whether the server answered a READ of {@code size} in full
 */
record ReadLimit(int size, boolean answeredInFull) {
}
