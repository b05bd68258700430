package io.quantsinfra.lake.sshconfig;

/**
 * A value read from an ssh_config file, with the line it stands on.
 *
 * @param value  the parsed value
 * @param origin the file and line
 */
record Found<T>(T value, Origin origin) {
}
