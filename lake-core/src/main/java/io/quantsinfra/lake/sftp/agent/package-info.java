/**
 * A client of ssh-agent: the agent protocol (list the identities, ask for a signature) over the
 * Unix-domain socket that {@code SSH_AUTH_SOCK} names. The connection code in
 * {@code io.quantsinfra.lake.sftp} logs in with these identities; private keys never leave the agent.
 */
package io.quantsinfra.lake.sftp.agent;
