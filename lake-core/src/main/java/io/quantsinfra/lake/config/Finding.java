package io.quantsinfra.lake.config;

/** A problem found on a config's values, before it is given a file position. */
record Finding(String path, String message) {
}
