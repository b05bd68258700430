/**
 * OpenSSH client configuration ({@code ssh_config}) for a profile's host, read as ssh reads it,
 * for the keys lake-core honours: {@code Host} blocks with {@code *}, {@code ?} and {@code !}
 * patterns, the first value obtained wins, {@code Include}; {@code HostName}, {@code Port},
 * {@code User}, {@code IdentityFile}, {@code IdentitiesOnly}, {@code UserKnownHostsFile},
 * {@code ConnectTimeout}, {@code ServerAliveInterval}, {@code ServerAliveCountMax} and
 * {@code ProxyJump}. {@link io.quantsinfra.lake.sshconfig.ConnectionSettings#of} merges them with
 * the profile, whose explicit keys win, and the seed's defaults, and says where each value came
 * from. Pure Java, no SSH library: the {@code sftp} package connects with the result.
 */
package io.quantsinfra.lake.sshconfig;
